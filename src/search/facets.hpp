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
    // Titles for the doc facet and records when counting documents; fetched on first use.
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
  using Tally = std::map<std::string, std::uint64_t, std::less<>>;
  [[nodiscard]] Xapian::valueno set_slot(const std::string& field) const;
  [[nodiscard]] std::map<std::string, Tally> tally_key_fields(
      const std::vector<std::string>& fields, const Xapian::ValueCountMatchSpy& spy) const;
  [[nodiscard]] Tally tally_set_field(const std::string& field,
                                      const Xapian::ValueCountMatchSpy& spy) const;
  [[nodiscard]] std::vector<FacetValue> present(const std::string& field,
                                                const Tally& counts) const;

  Xapian::Database db_;
  FacetRequest request_;
  const FilterSet& filters_;
  Context context_;
  // Paper-level facets (doc, year, lang, issuer, country, type) all come from one spy over
  // the facet key; topics and regions each have their own.
  Xapian::ValueCountMatchSpy key_spy_;
  std::map<std::string, std::unique_ptr<Xapian::ValueCountMatchSpy>> set_spies_;
};

}  // namespace concord::search
