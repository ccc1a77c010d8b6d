// Filters to Xapian queries. Internal to the search module.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <xapian.h>

#include "concord/enrich.hpp"
#include "concord/search.hpp"

namespace concord::search {

// Filters grouped by field: values of one field combine with OR, fields with AND, and
// excluded values are removed. Knowing the groups lets facet counting drop one field's
// filter while counting that field (multi-select facets).
class FilterSet {
 public:
  FilterSet(const Xapian::Database& db, const std::vector<Filter>& filters,
            const Taxonomy& taxonomy, const Gazetteer& gazetteer);

  // The conjunction of every field's filter except `skip_field` (empty: all); nullopt when
  // nothing filters. (An empty Xapian::Query means "match nothing", so it cannot say that.)
  [[nodiscard]] std::optional<Xapian::Query> combined(const std::string& skip_field = {}) const;
  [[nodiscard]] const std::optional<Xapian::Query>& exclusions() const { return exclusions_; }
  [[nodiscard]] bool has_field(const std::string& field) const {
    return by_field_.count(field) > 0;
  }
  // Filter values of a field as given (for marking selected facet values).
  [[nodiscard]] std::vector<std::string> values(const std::string& field) const;
  // The canonical value of each filter, in the order given ("Africa" -> "africa").
  [[nodiscard]] const std::vector<std::string>& canonical_values() const { return canonical_; }
  // The topic or region ids the filters of a set field ("topic", "region") match, any of
  // which lets a paragraph through (exclusions are not among them).
  [[nodiscard]] std::vector<std::string> set_ids(const std::string& field) const;
  // Filter values that name nothing known ("region:Atlantis"), for the response's warnings.
  [[nodiscard]] const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  std::map<std::string, std::vector<Xapian::Query>> by_field_;
  std::map<std::string, std::vector<std::string>> raw_values_;
  std::map<std::string, std::vector<std::string>> set_ids_;
  std::optional<Xapian::Query> exclusions_;
  std::vector<std::string> warnings_;
  std::vector<std::string> canonical_;
};

// The Xapian query for one filter value (terms or value ranges), and the canonical value
// (a topic or region id) in `canonical`. An empty query matches nothing. For a topic or
// region, `set_ids` (when given) receives the ids whose terms the query matches.
Xapian::Query filter_query(const Xapian::Database& db, const Filter& filter,
                           const Taxonomy& taxonomy, const Gazetteer& gazetteer,
                           std::string& canonical, std::vector<std::string>* set_ids = nullptr);

}  // namespace concord::search
