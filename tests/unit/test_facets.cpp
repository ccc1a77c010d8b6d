// Facet counts and filters checked against brute force over the same index's records.
#include <catch2/catch.hpp>

#include <algorithm>
#include <optional>
#include <set>

#include "concord/analysis.hpp"
#include "concord/enrich.hpp"
#include "concord/index.hpp"
#include "concord/indexer.hpp"
#include "concord/search.hpp"
#include "test_support.hpp"

using namespace concord;

namespace {

struct Row {
  ParagraphRecord record;
  const DocumentInfo* doc;
  std::set<std::string> stems;
  std::set<std::string> regions;  // with ancestors
};

// Every paragraph of the index, read back record by record (no search involved).
std::vector<Row> all_rows(const IndexReader& reader, const Analyzer& analyzer,
                          const IndexReader::DocumentTable& table) {
  std::vector<Row> rows;
  const auto gazetteer = reader.gazetteer();
  for (const auto& [id, doc] : table) {
    for (auto& record : reader.paragraphs(id, 1, doc.paragraph_count)) {
      Row row{std::move(record), &doc, {}, {}};
      for (const auto& t : analyzer.tokenize(row.record.paragraph.text))
        row.stems.insert(analyzer.stem(t.term));
      for (const auto& r : row.record.regions) {
        const auto& closure = gazetteer->closure(r);
        row.regions.insert(closure.begin(), closure.end());
      }
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

std::string value_of(const Row& row, const std::string& field) {
  const auto& fv = row.doc->facet_values;
  const auto it = fv.find(field);
  std::string v = it == fv.end() ? std::string() : it->second;
  if (field == "country") v = v.substr(0, v.find('\x1d'));
  return v;
}

// Does the row pass one filter (by canonical value)?
bool passes(const Row& row, const std::string& field, const std::string& value) {
  if (field == "region") return row.regions.count(value) > 0;
  if (field == "topic") {
    const auto& t = row.record.topics;
    return std::find(t.begin(), t.end(), value) != t.end();
  }
  if (field == "doc") return row.record.doc_id == value;
  return value_of(row, field) == value;
}

std::vector<std::string> values_for(const Row& row, const std::string& field) {
  if (field == "region") return {row.regions.begin(), row.regions.end()};
  if (field == "topic") return row.record.topics;
  if (field == "doc") return {row.record.doc_id};
  const std::string v = value_of(row, field);
  return v.empty() ? std::vector<std::string>{} : std::vector<std::string>{v};
}

using Counts = std::map<std::string, std::uint64_t>;

// Expected counts per field with multi-select semantics: a field's own filter is ignored
// when counting that field; values within a field OR, fields AND.
std::map<std::string, Counts> brute_force(
    const std::vector<Row>& rows, const std::string& word,
    const std::map<std::string, std::set<std::string>>& filters, bool documents,
    std::uint64_t& total) {
  const std::vector<std::string> fields{"doc",     "year", "lang",  "issuer",
                                        "country", "type", "topic", "region"};
  std::map<std::string, Counts> out;
  total = 0;
  for (const auto& field : fields) {
    std::map<std::string, std::set<std::string>> docs_per_value;
    for (const auto& row : rows) {
      if (!word.empty() && row.stems.count(word) == 0) continue;
      bool ok = true;
      for (const auto& [f, values] : filters) {
        if (f == field) continue;
        ok = ok && std::any_of(values.begin(), values.end(),
                               [&](const std::string& v) { return passes(row, f, v); });
      }
      if (!ok) continue;
      for (const auto& v : values_for(row, field)) {
        if (documents) {
          docs_per_value[v].insert(row.record.doc_id);
        } else {
          ++out[field][v];
        }
      }
    }
    for (const auto& [v, docs] : docs_per_value) out[field][v] = docs.size();
  }
  for (const auto& row : rows) {
    if (!word.empty() && row.stems.count(word) == 0) continue;
    bool ok = true;
    for (const auto& [f, values] : filters) {
      ok = ok && std::any_of(values.begin(), values.end(),
                             [&](const std::string& v) { return passes(row, f, v); });
    }
    total += ok ? 1 : 0;
  }
  return out;
}

void check_against_brute_force(
    const std::filesystem::path& index, const std::vector<std::string>& words,
    const std::vector<std::map<std::string, std::set<std::string>>>& filter_sets) {
  IndexReader reader = IndexReader::open(IndexLocation::directory(index));
  const Analyzer analyzer(reader.stem_language());
  const auto table = reader.document_table();
  const auto rows = all_rows(reader, analyzer, *table);
  REQUIRE(rows.size() == reader.paragraph_count());
  Searcher searcher(reader);
  // Through Xapian's value streams (the CLI), with facet slots in memory (the server), and
  // in memory with the counting match split into ranges of document ids on threads (the
  // server on an index of more than 100,000 entries; here every range is one id wide).
  for (const int mode : {0, 1, 2}) {
    const bool in_memory = mode > 0;
    reader.keep_facets_in_memory(in_memory);
    std::optional<test::ScopedEnv> ranges;
    if (mode == 2) ranges.emplace("CONCORD_COUNT_RANGE_DOCS", "1");
    for (const bool documents : {false, true}) {
      for (const auto& word : words) {
        for (const auto& filters : filter_sets) {
          SearchRequest request;
          request.query = word.empty() ? "*" : word;
          request.limit = 3;
          request.facets.count_documents = documents;
          request.facets.max_values = 100000;
          for (const auto& [f, values] : filters) {
            for (const auto& v : values) request.filters.push_back(Filter{f, v, false});
          }
          const auto response = searcher.search(request);
          std::uint64_t total = 0;
          const auto expected =
              brute_force(rows, word.empty() ? "" : analyzer.stem(analyzer.normalize(word)),
                          filters, documents, total);
          INFO("query '" << request.query << "', " << filters.size()
                         << " filter fields, documents=" << documents << ", mode=" << mode);
          CHECK(response.total == total);
          for (const auto& [field, counts] : expected) {
            Counts got;
            for (const auto& fv : response.facets.at(field)) got[fv.value] = fv.count;
            INFO("facet " << field);
            CHECK(got == counts);
          }
        }
      }
    }
  }
}

const char* kPapers[][3] = {
    {"alpha",
     "{\"date\": \"2021-03-01\", \"country\": \"China\", \"issuer\": \"Ministry A\", \"type\": "
     "\"white paper\"}",
     "1. Africa\n\nPeace and security in Mali and the Sahel need dialogue.\n\nNuclear weapons "
     "threaten peace everywhere.\n\n"
     "2. Asia\n\nASEAN and Viet Nam work for maritime security and peace.\n"},
    {"beta",
     "{\"date\": \"2022-05-01\", \"country\": \"United States\", \"issuer\": \"White House\", "
     "\"type\": \"strategy\"}",
     "Terrorism in Nigeria and the Sahel is a threat to peace.\n\nWe support peacekeeping in the "
     "Democratic Republic of the Congo.\n\n"
     "Climate change hurts Pacific island countries such as Fiji.\n"},
    {"gamma",
     "{\"date\": \"2022-09-01\", \"country\": \"CHN\", \"issuer\": \"Ministry A\", \"language\": "
     "\"en\"}",
     "Outer space must stay peaceful.\n\nThe Middle East needs peace, and Saudi Arabia and Iran "
     "talk.\n\nCyber security matters for Europe.\n"},
    {"delta", "{\"date\": \"2023-01-01\", \"country\": \"Nigeria\", \"issuer\": \"Presidency\"}",
     "Nigeria and Ghana cooperate in West Africa on food security.\n\nPeace in Africa is our "
     "aim.\n"},
};

// The four papers in dir/docs, indexed into dir/index; the options can index them again.
IndexRunOptions index_papers(const test::TempDir& dir) {
  for (const auto& paper : kPapers) {
    test::write_file(dir / "docs" / (std::string(paper[0]) + ".txt"), paper[2]);
    test::write_file(dir / "docs" / (std::string(paper[0]) + ".meta.json"), paper[1]);
  }
  IndexRunOptions options;
  options.index_dir = dir / "index";
  options.inputs = {dir / "docs"};
  REQUIRE(run_index(options).added == 4);
  return options;
}

}  // namespace

TEST_CASE("facet counts equal brute-force counts, with multi-select filters",
          "[integration][facets]") {
  test::TempDir dir;
  IndexRunOptions options = index_papers(dir);
  const std::vector<std::map<std::string, std::set<std::string>>> filter_sets = {
      {},
      {{"region", {"africa"}}},
      {{"region", {"africa", "asia"}}},
      {{"region", {"sahel"}}, {"year", {"2022"}}},
      {{"topic", {"nuclear", "counter-terrorism"}}, {"country", {"CHN"}}},
      {{"issuer", {"Ministry A"}}, {"region", {"world"}}}};
  check_against_brute_force(dir / "index", {"", "peace", "security"}, filter_sets);

  SECTION("three local shards: document ids interleave, counts do not change") {
    options.index_dir = dir / "sharded";
    options.shards = 3;
    REQUIRE(run_index(options).added == 4);
    check_against_brute_force(dir / "sharded", {"", "peace", "security"}, filter_sets);
  }
}

TEST_CASE("facets can be named, each counting paragraphs or papers, unknown ones are errors",
          "[integration][facets]") {
  test::TempDir dir;
  IndexRunOptions options = index_papers(dir);
  IndexReader reader = IndexReader::open(IndexLocation::directory(options.index_dir));
  Searcher searcher(reader);
  SearchRequest all;
  all.query = "*";
  SearchRequest papers = all;
  papers.facets.count_documents = true;
  const auto by_paragraph = searcher.search(all);
  const auto by_paper = searcher.search(papers);
  SearchRequest named = all;
  named.facets.fields = {"region:documents", "year"};
  const auto mixed = searcher.search(named);
  REQUIRE(mixed.facets.size() == 2);
  const auto values = [](const std::vector<FacetValue>& list) {
    Counts c;
    for (const auto& v : list) c[v.value] = v.count;
    return c;
  };
  CHECK(values(mixed.facets.at("region")) == values(by_paper.facets.at("region")));
  CHECK(values(mixed.facets.at("year")) == values(by_paragraph.facets.at("year")));
  CHECK(mixed.facet_info.at("region").documents);
  CHECK_FALSE(mixed.facet_info.at("year").documents);
  CHECK(values(by_paper.facets.at("region")).at("africa") == 3);  // alpha, beta and delta
  CHECK(values(by_paragraph.facets.at("region")).at("africa") == 5);

  // A cut list says so: four papers, two shown.
  SearchRequest short_list = all;
  short_list.facets.max_values = 2;
  const auto cut = searcher.search(short_list);
  CHECK(cut.facets.at("doc").size() == 2);
  CHECK(cut.facet_info.at("doc").values == 4);
  CHECK(cut.facet_info.at("doc").truncated);
  CHECK_FALSE(by_paragraph.facet_info.at("doc").truncated);

  for (const std::string bad : {"planet", "region:sometimes"}) {
    SearchRequest wrong = all;
    wrong.facets.fields = {bad};
    try {
      searcher.search(wrong);
      FAIL("no error for facet " << bad);
    } catch (const Error& e) {
      CHECK(e.code() == ErrorCode::kInvalidArgument);
    }
  }
}

TEST_CASE("facet slots kept in memory follow the index when it changes", "[integration][facets]") {
  test::TempDir dir;
  IndexRunOptions options = index_papers(dir);
  IndexReader reader = IndexReader::open(IndexLocation::directory(options.index_dir));
  reader.keep_facets_in_memory(true);
  Searcher searcher(reader);
  SearchRequest request;
  request.query = "peace";
  const auto years = [&] {
    std::string got;
    const SearchResponse response = searcher.search(request);
    for (const auto& fv : response.facets.at("year")) {
      got += fv.value + "=" + std::to_string(fv.count) + " ";
    }
    return got;
  };
  CHECK(years() == "2023=1 2022=3 2021=3 ");  // newest first
  const auto counts_of = [](const SearchResponse& response, const std::string& field) {
    std::map<std::string, std::uint64_t> counts;
    for (const auto& fv : response.facets.at(field)) counts[fv.value] = fv.count;
    return counts;
  };
  const auto regions_before = counts_of(searcher.search(request), "region");
  // delta moves to 2024 and gains a paragraph about peace.
  test::write_file(dir / "docs" / "delta.meta.json",
                   "{\"date\": \"2024-01-01\", \"country\": \"Nigeria\"}");
  test::write_file(dir / "docs" / "delta.txt",
                   "Peace in Africa is our aim.\n\nPeace in the Sahel too.\n");
  REQUIRE(run_index(options).updated == 1);
  REQUIRE(reader.reopen());
  CHECK(years() == "2024=2 2022=3 2021=3 ");
  // Topic and region counts, whose expansions the searcher keeps per revision, agree with a
  // reader opened afresh.
  IndexReader fresh_reader = IndexReader::open(IndexLocation::directory(options.index_dir));
  Searcher fresh(fresh_reader);
  const SearchResponse kept = searcher.search(request);
  const SearchResponse expected = fresh.search(request);
  for (const std::string field : {"region", "topic"}) {
    INFO("facet " << field);
    CHECK(counts_of(kept, field) == counts_of(expected, field));
  }
  CHECK(counts_of(kept, "region") != regions_before);  // delta's new paragraph is about Africa
}

TEST_CASE("regions roll up, filters OR within a field and AND across fields",
          "[integration][facets]") {
  test::TempDir dir;
  IndexRunOptions options = index_papers(dir);
  IndexReader reader = IndexReader::open(IndexLocation::directory(dir / "index"));
  Searcher searcher(reader);
  const auto count = [&](const std::string& q, std::vector<Filter> filters) {
    SearchRequest r;
    r.query = q;
    r.filters = std::move(filters);
    return searcher.search(r);
  };
  // Mali and the Sahel; Nigeria and the Sahel; the DRC; Nigeria, Ghana and West Africa; "Africa".
  const auto africa = count("*", {Filter{"region", "Africa", false}});
  CHECK(africa.total == 5);
  CHECK(count("*", {Filter{"region", "sahel", false}}).total == 2);
  CHECK(count("*", {Filter{"region", "Western Africa", false}}).total == 3);
  // OR within a field, AND across fields.
  CHECK(count("*", {Filter{"region", "sahel", false}, Filter{"region", "Fiji", false}}).total == 3);
  CHECK(count("*", {Filter{"region", "africa", false}, Filter{"year", "2023", false}}).total == 2);
  CHECK(count("peace", {Filter{"region", "africa", false}, Filter{"topic", "nuclear", false}})
            .total == 0);
  // The facet of the selected field still shows the other regions (multi-select).
  bool saw_asia = false, africa_selected = false;
  for (const auto& fv : africa.facets.at("region")) {
    if (fv.value == "asia") saw_asia = fv.count > 0;
    if (fv.value == "africa") africa_selected = fv.selected;
  }
  CHECK(saw_asia);
  CHECK(africa_selected);
  // Region values carry their path and names; topics their labels; countries their names.
  for (const auto& fv : africa.facets.at("region")) {
    if (fv.value == "sahel") {
      CHECK(fv.label == "Sahel");
      CHECK(fv.path.front() == "world");
      CHECK(fv.path.back() == "sahel");
    }
  }
  for (const auto& fv : africa.facets.at("country")) {
    if (fv.value == "CHN") CHECK(fv.label == "China");
  }
  // An organisation stands for the regions its mentions are tagged with.
  const auto nato = count("*", {Filter{"region", "NATO", false}});
  CHECK(nato.warnings.empty());
  CHECK(nato.total ==
        count("*", {Filter{"region", "europe", false}, Filter{"region", "northern-america", false}})
            .total);
  CHECK(nato.total == 1);  // "Cyber security matters for Europe."
  CHECK(count("*", {Filter{"region", "EU", false}}).total == 1);
  const auto brics = count("*", {Filter{"region", "BRICS", false}});
  CHECK(brics.warnings.empty());
  std::vector<Filter> members;
  for (const char* c : {"BRA", "RUS", "IND", "CHN", "ZAF"}) members.push_back({"region", c, false});
  CHECK(brics.total == count("*", members).total);
  CHECK(count("*", {Filter{"region", "ASEAN", false}}).total == 1);
  // Unknown values are warnings with no results; unknown fields are errors.
  const auto unknown = count("*", {Filter{"region", "Atlantis", false}});
  CHECK(unknown.total == 0);
  REQUIRE(!unknown.warnings.empty());
  CHECK_THAT(unknown.warnings[0], Catch::Contains("no region called 'Atlantis'"));
  CHECK_THROWS_AS(count("*", {Filter{"planet", "mars", false}}), Error);
  // Query-language filters behave like --filter.
  CHECK(count("peace region:africa", {}).total ==
        count("peace", {Filter{"region", "africa", false}}).total);
  CHECK(count("peace -region:africa", {}).total ==
        count("peace", {}).total - count("peace", {Filter{"region", "africa", false}}).total);
}

TEST_CASE("facets on the UN General Debate sample equal brute force", "[shared][facets]") {
  test::skip_without_shared_corpus("UNGDC facet brute-force test");
  test::TempDir dir;
  IndexRunOptions options;
  options.index_dir = dir / "index";
  options.inputs = {test::shared_corpus() / "ungdc" / "sample" / "Session 78 - 2023"};
  REQUIRE(run_index(options).failed == 0);
  check_against_brute_force(
      dir / "index", {"", "nuclear", "climate"},
      {{},
       {{"region", {"africa"}}},
       {{"region", {"sahel", "middle-east"}}, {"topic", {"climate-environment"}}}});
}
