// Exact facet counts through Xapian match spies. Internal to the search module.
//
// Every facet is a value slot counted by Xapian::ValueCountMatchSpy, the spy that Xapian's
// remote protocol serialises out of the box, so counts stay exact when shards are served by
// xapian-tcpsrv. Multi-valued facets (topics, regions) store the sorted set of a paragraph's
// values as one slot value; the counter splits those sets after the match. A facet with an
// active filter is counted in a second pass without its own filter (multi-select).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <xapian.h>

#include "concord/search.hpp"
#include "filters.hpp"

namespace concord::search {

class FacetCounter {
 public:
  FacetCounter(const Xapian::Database& db, const FacetRequest& request, const FilterSet& filters);

  // Adds the spies for the main match.
  void attach(Xapian::Enquire& enquire);

  // Paragraphs the main match saw (exact: the match runs with checkatleast = doccount).
  [[nodiscard]] std::uint64_t matched_paragraphs() const;

  // Fills `out`; query_without(field) gives the main query with that field's filter removed.
  void finish(std::map<std::string, std::vector<FacetValue>>& out,
              const std::function<Xapian::Query(const std::string&)>& query_without);

 private:
  struct Field {
    std::string name;
    Xapian::valueno slot;
    bool multi;  // slot holds a set of values
  };
  std::vector<FacetValue> values_of(const Field& field,
                                    const Xapian::ValueCountMatchSpy& spy) const;

  Xapian::Database db_;
  FacetRequest request_;
  const FilterSet& filters_;
  std::vector<Field> fields_;
  Xapian::ValueCountMatchSpy doc_spy_;
  std::map<std::string, std::unique_ptr<Xapian::ValueCountMatchSpy>> main_spies_;
};

}  // namespace concord::search
