// Exact facet counts through Xapian match spies. Internal to the search module.
//
// Every facet is a value slot counted by Xapian::ValueCountMatchSpy, the spy that Xapian's
// remote protocol serialises out of the box, so counts stay exact when shards are served by
// xapian-tcpsrv. Multi-valued facets (topics, regions) store the sorted set of a paragraph's
// values as one slot value; the counter splits those sets after the match and, for regions,
// rolls each set up the gazetteer's hierarchy (every ancestor counted once per paragraph).
// A facet with an active filter is counted in a second pass without its own filter
// (multi-select). Counting papers instead of paragraphs uses slots that carry the document
// id with the set, and the document table for document-level fields.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <xapian.h>

#include "concord/enrich.hpp"
#include "concord/index.hpp"
#include "concord/search.hpp"
#include "filters.hpp"

namespace concord::search {

class FacetCounter {
 public:
  struct Context {
    const Taxonomy& taxonomy;
    const Gazetteer& gazetteer;
    // Needed only when counting documents; fetched on first use.
    std::function<std::shared_ptr<const IndexReader::DocumentTable>()> documents;
  };

  FacetCounter(const Xapian::Database& db, const FacetRequest& request, const FilterSet& filters,
               Context context);
  ~FacetCounter();

  // Adds the spies for the main match.
  void attach(Xapian::Enquire& enquire);

  // Paragraphs the main match saw (exact: the match runs with checkatleast = doccount).
  [[nodiscard]] std::uint64_t matched_paragraphs() const;
  // Distinct papers among them.
  [[nodiscard]] std::uint64_t matched_documents() const;

  // Fills `out`; query_without(field) gives the main query with that field's filter removed.
  void finish(std::map<std::string, std::vector<FacetValue>>& out,
              const std::function<Xapian::Query(const std::string&)>& query_without);

 private:
  struct Field {
    std::string name;
    Xapian::valueno slot;      // counted slot in paragraph mode
    Xapian::valueno doc_slot;  // counted slot in document mode
    bool multi;                // slot holds a set of values
  };
  using Tally = std::map<std::string, std::uint64_t>;
  [[nodiscard]] Xapian::valueno slot_for(const Field& field) const;
  [[nodiscard]] Tally tally(const Field& field, const Xapian::ValueCountMatchSpy& spy) const;
  [[nodiscard]] std::vector<FacetValue> present(const Field& field, const Tally& counts) const;
  void add_members(const Field& field, const std::string& set, std::vector<std::string>& out) const;

  Xapian::Database db_;
  FacetRequest request_;
  const FilterSet& filters_;
  Context context_;
  std::vector<Field> fields_;
  Xapian::ValueCountMatchSpy doc_spy_;
  std::map<std::string, std::unique_ptr<Xapian::ValueCountMatchSpy>> main_spies_;
};

}  // namespace concord::search
