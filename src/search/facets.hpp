// Exact facet counts through Xapian match spies. Internal to the search module.
//
// Every facet is a value slot counted by Xapian::ValueCountMatchSpy, the spy that Xapian's
// remote protocol serialises out of the box, so counts stay exact when shards are served by
// xapian-tcpsrv. Multi-valued facets (topics, regions) store the sorted set of a paragraph's
// values as one slot value; the counter splits those sets after the match and, for regions,
// rolls each set up the gazetteer's hierarchy (every ancestor counted once per paragraph).
// A facet with an active filter is counted in a second pass without its own filter
// (multi-select). Counting papers instead of paragraphs uses slots that carry the document
// id with the set, and the document table for document-level fields. When the reader keeps
// a slot in memory (a ValueColumn), a spy of our own counts its codes by document id
// instead: the same counts without a value lookup and a string compare per match. Such a
// reader can also split the counting match into chunks of document ids that several
// threads, each with its own handle on the database, take in turn, and add the counts up.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <xapian.h>

#include "concord/enrich.hpp"
#include "concord/index.hpp"
#include "concord/search.hpp"
#include "filters.hpp"
#include "value_column.hpp"

namespace concord::search {

// A set slot's distinct values expanded into the facet values each counts for (regions
// rolled up to their ancestors, each value once per set), so that a tally adds integers.
struct SetExpansion {
  std::vector<std::string> names;        // facet values, by value id
  std::vector<std::uint32_t> begin;      // value ids of set code c: [begin[c], begin[c + 1])
  std::vector<std::uint32_t> value_ids;  // (a per-paper set leaves its paper id out)
};

// Expansions of the slots a reader keeps in memory, reused while the column is the same
// (one index revision). Owned by a Searcher, so used by one thread at a time.
class ExpansionCache {
 public:
  std::shared_ptr<const SetExpansion> get(const std::string& field,
                                          const std::shared_ptr<const ValueColumn>& column,
                                          const std::function<SetExpansion()>& build);
  // Which codes of a column pass a topic or region filter, by field and filter ids (`key`).
  std::shared_ptr<const std::vector<char>> passes(const std::string& key,
                                                  const std::shared_ptr<const ValueColumn>& column,
                                                  const std::function<std::vector<char>()>& build);

 private:
  struct Entry {
    std::shared_ptr<const ValueColumn> column;
    std::shared_ptr<const SetExpansion> expansion;
  };
  std::map<std::string, Entry> entries_;
  struct PassEntry {
    std::shared_ptr<const ValueColumn> column;
    std::shared_ptr<const std::vector<char>> passes;
  };
  std::map<std::string, PassEntry> passes_;  // a few filters' worth, see passes()
};

class FacetCounter {
 public:
  struct Context {
    const Taxonomy& taxonomy;
    const Gazetteer& gazetteer;
    // Titles for the doc facet and records when counting documents; fetched on first use.
    std::function<std::shared_ptr<const IndexReader::DocumentTable>()> documents;
    // The slot in memory, or null to count through Xapian's value streams.
    std::function<std::shared_ptr<const ValueColumn>(Xapian::valueno)> column;
    // Another handle on the same revision of the database, for counting on several threads;
    // none when there is no such handle (remote or several shards, a newer revision).
    std::function<std::optional<Xapian::Database>()> open_copy;
    // Where expansions of in-memory slots are kept between searches; none to build them
    // for every search.
    ExpansionCache* expansions = nullptr;
  };

  // The documents a counter admits when it counts only part of a match: those whose code in
  // each column passes that column's table.
  struct Condition {
    struct Test {
      std::shared_ptr<const ValueColumn> column;
      std::shared_ptr<const std::vector<char>> passes;  // by code
    };
    std::vector<Test> all;
    [[nodiscard]] bool admits(Xapian::docid id) const {
      for (const Test& t : all) {
        if ((*t.passes)[t.column->code(id)] == 0) return false;
      }
      return true;
    }
  };

  // One slot counted during a match, by whichever spy suits the database.
  class SlotCounter {
   public:
    // A `condition` needs the column: Xapian's value-stream spy counts every match.
    SlotCounter(Xapian::valueno slot, std::shared_ptr<const ValueColumn> column,
                std::shared_ptr<const Condition> condition = nullptr);
    // An empty counter of the same slot, for another range of documents.
    [[nodiscard]] std::unique_ptr<SlotCounter> fresh() const;
    // Adds the counts of a fresh() counter that saw other documents.
    void add(const SlotCounter& other);
    // The column behind the counts, or null when they come from Xapian's value streams.
    [[nodiscard]] std::shared_ptr<const ValueColumn> column() const;
    ~SlotCounter();
    SlotCounter(const SlotCounter&) = delete;
    SlotCounter& operator=(const SlotCounter&) = delete;
    [[nodiscard]] Xapian::MatchSpy& spy();
    // One spy that counts for all of `counters`, or null unless each has its column in memory.
    [[nodiscard]] static std::unique_ptr<Xapian::MatchSpy> combined(
        const std::vector<SlotCounter*>& counters);
    // After the match: the distinct values and, by value code, how many matches had each.
    [[nodiscard]] const ValueTable& table() const;
    [[nodiscard]] const std::vector<std::uint64_t>& counts() const;

   private:
    class ColumnSpy;
    class ColumnsSpy;
    void collect() const;  // the ValueCountMatchSpy's values into collected_
    Xapian::valueno slot_;
    std::unique_ptr<Xapian::ValueCountMatchSpy> value_spy_;
    std::unique_ptr<ColumnSpy> column_spy_;
    mutable std::unique_ptr<ValueTable> collected_;
    mutable std::vector<std::uint64_t> collected_counts_;
  };

  // Every counting match, the main one and the multi-select recounts, keeps `per_doc`
  // paragraphs per paper when non-zero and stops after `time_limit` seconds when non-zero.
  FacetCounter(const Xapian::Database& db, const FacetRequest& request, const FilterSet& filters,
               Context context, Xapian::doccount per_doc, double time_limit);
  ~FacetCounter();

  // Runs `query` unranked and feeds every match to the spies, and runs `meanwhile` on the
  // calling thread: before it joins the other threads counting, or after the count when it
  // runs on one thread. `unfiltered` is `query` before the filters: when every filter is a
  // topic or a region, one match of it counts all facets (see count_in_one_pass). Throws
  // Xapian's errors.
  void count(const Xapian::Query& query, const Xapian::Query& unfiltered,
             const std::function<void()>& meanwhile);

  // Paragraphs the counting match saw (exact: it runs with checkatleast = doccount).
  [[nodiscard]] std::uint64_t matched_paragraphs() const;
  // Distinct papers among them.
  [[nodiscard]] std::uint64_t matched_documents() const;

  // Fills `out` and `info`; query_without(field) gives the main query with that field's
  // filter removed.
  void finish(std::map<std::string, std::vector<FacetValue>>& out,
              std::map<std::string, FacetInfo>& info,
              const std::function<Xapian::Query(const std::string&)>& query_without);

 private:
  // Raw facet values with their counts, unordered. The views point into the slot counters'
  // tables and the gazetteer, which outlive finish().
  using Tally = std::vector<std::pair<std::string_view, std::uint64_t>>;
  [[nodiscard]] Xapian::valueno set_slot(const std::string& field) const;
  [[nodiscard]] bool wanted(const std::string& field) const { return wanted_.count(field) > 0; }
  [[nodiscard]] bool documents(const std::string& field) const;
  [[nodiscard]] std::unique_ptr<SlotCounter> counter(Xapian::valueno slot) const;
  // Multi-select counts a filtered field without its own filter, in a match of its own. When
  // every filter is on topics or regions and the slots are in memory, one match of the
  // unfiltered query does all: each counter admits the documents that pass the filters it
  // must see. False (nothing counted) when that does not apply.
  bool count_in_one_pass(const Xapian::Query& unfiltered, const std::function<void()>& meanwhile);
  // The counting match behind count() and the multi-select recounts.
  void run_counting(const Xapian::Query& query, const std::vector<SlotCounter*>& counters,
                    const std::function<void()>& meanwhile = {}) const;
  [[nodiscard]] std::map<std::string, Tally> tally_key_fields(
      const std::vector<std::string>& fields, const SlotCounter& counts) const;
  [[nodiscard]] Tally tally_set_field(const std::string& field, const SlotCounter& counts) const;
  [[nodiscard]] SetExpansion expand(const std::string& field, const ValueTable& sets) const;
  [[nodiscard]] std::vector<FacetValue> present(const std::string& field, const Tally& counts,
                                                FacetInfo& info) const;

  // Counted while this object lives, first so that a throwing constructor uncounts it.
  struct ActiveSearch {
    ActiveSearch();
    ~ActiveSearch();
    ActiveSearch(const ActiveSearch&) = delete;
    ActiveSearch& operator=(const ActiveSearch&) = delete;
  } active_;
  Xapian::Database db_;
  FacetRequest request_;
  std::map<std::string, bool> wanted_;  // facet -> counts papers
  const FilterSet& filters_;
  Context context_;
  // Expansions the tallies' names point into, kept until the facets are presented.
  mutable std::vector<std::shared_ptr<const SetExpansion>> expansions_in_use_;
  const Xapian::doccount per_doc_;
  const double time_limit_;
  // Paper-level facets (doc, year, lang, issuer, country, type) all come from one spy over
  // the facet key; topics and regions each have their own.
  std::unique_ptr<SlotCounter> key_counter_;
  std::map<std::string, std::unique_ptr<SlotCounter>> set_counters_;
};

}  // namespace concord::search
