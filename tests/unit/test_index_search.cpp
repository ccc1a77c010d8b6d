// Index and search round trips on the seed paper and small papers written by the tests.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>

#include <xapian.h>

#include "concord/analysis.hpp"
#include "concord/error.hpp"
#include "concord/index.hpp"
#include "concord/indexer.hpp"
#include "concord/search.hpp"
#include "index/schema.hpp"
#include "indexed.hpp"
#include "test_support.hpp"

using namespace concord;

namespace {

struct SeedIndex {
  test::TempDir dir;
  IndexReport report;
  SeedIndex() {
    IndexRunOptions options;
    options.index_dir = dir / "index";
    options.inputs = {test::source_dir() / "sample_docs"};
    report = run_index(options);
  }
  [[nodiscard]] IndexReader reader() const {
    return IndexReader::open(IndexLocation::directory(dir / "index"));
  }
};

const SeedIndex& seed() {
  static const SeedIndex index;
  return index;
}

SearchResponse search(const std::string& query, std::size_t limit = 10,
                      std::vector<Filter> filters = {}) {
  IndexReader reader = seed().reader();
  Searcher searcher(reader);
  SearchRequest request;
  request.query = query;
  request.limit = limit;
  request.filters = std::move(filters);
  return searcher.search(request);
}

}  // namespace

TEST_CASE("indexing the seed paper writes its 114 paragraphs in one commit",
          "[integration][index]") {
  const auto& r = seed().report;
  CHECK(r.added == 1);
  CHECK(r.failed == 0);
  CHECK(r.committed);
  CHECK(r.paragraphs_written == 114);
  IndexReader reader = seed().reader();
  CHECK(reader.paragraph_count() == 114);
  CHECK(reader.document_count() == 1);
  const auto doc = reader.document("gsi-concept-paper");
  REQUIRE(doc);
  CHECK(doc->paragraph_count == 114);
  CHECK(doc->sections.size() == 35);
  CHECK(doc->meta.date == "2023-02-21");
  const auto para = reader.paragraph("gsi-concept-paper:85");
  REQUIRE(para);
  CHECK(para->paragraph.text == "(14) Strengthen biosecurity risk management.");
  const auto around = reader.paragraphs("gsi-concept-paper", 84, 86);
  REQUIRE(around.size() == 3);
  CHECK(around[1].id == "gsi-concept-paper:85");
  CHECK(around[2].paragraph.text.find("laboratory biosafety") == std::string::npos);
  CHECK(around[2].paragraph.text.find("Tianjin Guidelines") != std::string::npos);
}

TEST_CASE("the phrase ASEAN way lands on item (6) of section 3 with a marked snippet",
          "[integration][search]") {
  const auto r = search("\"ASEAN way\"");
  REQUIRE(r.total == 1);
  REQUIRE(r.results.size() == 1);
  const SearchHit& hit = r.results[0];
  CHECK(hit.id == "gsi-concept-paper:65");
  CHECK(hit.section_number == "3.6");
  REQUIRE(hit.section.size() == 2);
  CHECK(hit.section[0] == "3. Key cooperation directions");
  CHECK(hit.snippet.find("&quot;<mark>ASEAN way</mark>&quot;") != std::string::npos);
  // Without quotes both words match separately, and ASEAN-centered is marked too.
  const auto loose = search("ASEAN way");
  CHECK(loose.total == 1);
  CHECK(loose.results[0].snippet.find("<mark>ASEAN</mark>-centered") != std::string::npos);
  CHECK(hit.doc.title == "The Global Security Initiative Concept Paper");
  CHECK(hit.doc.date == "2023-02-21");
  CHECK(hit.doc.language == "en");
}

TEST_CASE("totals are exact and equal brute-force counts", "[integration][search]") {
  IndexReader reader = seed().reader();
  const auto paragraphs = reader.paragraphs("gsi-concept-paper", 1, 200);
  REQUIRE(paragraphs.size() == 114);
  const auto count_containing = [&](std::initializer_list<const char*> words) {
    std::size_t n = 0;
    for (const auto& p : paragraphs) {
      std::string lower = p.paragraph.text;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      bool all = true;
      for (const char* w : words) all = all && lower.find(w) != std::string::npos;
      n += all ? 1 : 0;
    }
    return n;
  };
  CHECK(search("terrorism").total == count_containing({"terrorism"}));
  CHECK(search("outer space").total == count_containing({"outer", "space"}));
  CHECK(search("\"outer space\"").total == count_containing({"outer space"}));
  CHECK(search("nuclear").total == count_containing({"nuclear"}));
  CHECK(search("*").total == 114);
}

TEST_CASE("boolean operators, NEAR, wildcards and stemming", "[integration][search]") {
  const auto nuclear = search("nuclear", 100);
  const auto war = search("war", 100);
  const auto both = search("nuclear AND war", 100);
  const auto either = search("nuclear OR war", 100);
  const auto only = search("nuclear NOT war", 100);
  CHECK(both.total + only.total == nuclear.total);
  CHECK(either.total == nuclear.total + war.total - both.total);
  CHECK(search("nuclear -war", 100).total == only.total);
  // A sign before a quote or a parenthesis applies to the phrase or the group.
  const auto international = search("international", 100).total;
  const auto outer_space = search("international \"outer space\"", 100).total;
  REQUIRE(outer_space > 0);
  CHECK(search("international -\"outer space\"", 100).total == international - outer_space);
  CHECK(search("international +\"outer space\"", 100).total == outer_space);
  CHECK(search("international -(outer OR nuclear)", 100).total ==
        search("international NOT (outer OR nuclear)", 100).total);
  CHECK(search("international -(outer OR nuclear)", 100).total < international);
  // A pasted passage with a sentence end: each sentence must be there, or not all of them.
  const auto passage = search("international \"outer space\" cooperation", 100).total;
  REQUIRE(passage > 0);
  CHECK(search("international +\"outer space. cooperation\"", 100).total == passage);
  CHECK(search("international -\"outer space. cooperation\"", 100).total ==
        international - passage);
  // A pure negation counts paragraphs only, never the papers' own records.
  const auto not_war = search("NOT war", 200);
  CHECK(not_war.total == 114 - war.total);
  CHECK(not_war.results.size() == not_war.total);
  // Excluded words alone or first exclude too (QueryParser alone found "war" for "-war").
  CHECK(search("-war", 200).total == not_war.total);
  CHECK(search("-war nuclear", 100).total == only.total);
  CHECK(search("(-war) OR nuclear", 200).total == not_war.total + both.total);
  CHECK(search("-(nuclear OR war)", 200).total == 114 - either.total);
  CHECK(search("+nuclear -war", 100).total == only.total);
  // Stemming: "sanction" finds "sanctions".
  CHECK(search("sanction").total >= 2);
  // Wildcards expand through unstemmed words: proliferat* finds non-proliferation.
  const auto wild = search("proliferat*", 100);
  CHECK(wild.total == search("proliferation", 100).total);
  CHECK(wild.results[0].snippet.find("<mark>") != std::string::npos);
  // A wildcard that expands to nothing matches nothing, also inside AND: never everything.
  const auto none = search("nuclear xyzzy*", 100);
  CHECK(none.total == 0);
  CHECK_THAT(none.warnings.at(0), Catch::Contains("'xyzzy*' matches no indexed word"));
  CHECK(search("xyzzy*", 100).total == 0);
  CHECK(search("nuclear OR xyzzy*", 100).total == nuclear.total);
  CHECK(search("nuclear NOT xyzzy*", 100).total == nuclear.total);
  // NEAR: both words within 3 positions.
  CHECK(search("biosafety NEAR/3 laboratory").total == 1);
  CHECK(search("biosafety NEAR/3 healthy").total == 0);
}

TEST_CASE("field prefixes title:, section:, doc:, year:, issuer:, lang:", "[integration][search]") {
  CHECK(search("section:biosecurity").total == 3);
  CHECK(search("title:\"concept paper\" laboratory").total == 1);
  CHECK(search("title:strategy").total == 0);
  CHECK(search("doc:gsi-concept-paper maritime").total == search("maritime").total);
  CHECK(search("doc:other maritime").total == 0);
  CHECK(search("year:2023 maritime").total == search("maritime").total);
  CHECK(search("year:2010..2022 maritime").total == 0);
  CHECK(search("issuer:\"foreign affairs\" maritime").total == search("maritime").total);
  CHECK(search("issuer:xinhua maritime").total == 0);
  CHECK(search("lang:en maritime").total == search("maritime").total);
  CHECK(search("maritime", 10, {Filter{"lang", "zh", false}}).total == 0);
  CHECK(search("maritime -year:2023").total == 0);
}

TEST_CASE("paging and per-document collapse", "[integration][search]") {
  IndexReader reader = seed().reader();
  Searcher searcher(reader);
  SearchRequest request;
  request.query = "security";
  request.limit = 5;
  const auto first = searcher.search(request);
  request.offset = 5;
  const auto second = searcher.search(request);
  CHECK(first.total == second.total);
  REQUIRE(first.results.size() == 5);
  REQUIRE(second.results.size() == 5);
  CHECK(first.results[4].score >= second.results[0].score);
  for (const auto& a : first.results) {
    for (const auto& b : second.results) CHECK(a.id != b.id);
  }
  request.offset = 0;
  request.per_doc = 2;
  const auto collapsed = searcher.search(request);
  CHECK(collapsed.results.size() == 2);
  CHECK(collapsed.total == first.total);
  request.per_doc = 0;
  request.sort = SortOrder::kDocumentOrder;
  const auto in_order = searcher.search(request);
  REQUIRE(in_order.results.size() == 5);
  for (std::size_t i = 1; i < in_order.results.size(); ++i) {
    CHECK(in_order.results[i - 1].paragraph < in_order.results[i].paragraph);
  }
}

TEST_CASE("query syntax errors name the column", "[integration][search][errors]") {
  struct Row {
    std::string query;
    std::size_t column;
    std::string message;
  };
  const Row rows[] = {
      {"peace) AND war", 6, "')' without a matching '('"},
      {"(peace AND war", 1, "'(' is never closed"},
      {"peace AND", 7, "'AND' needs a term after it"},
      {"OR peace", 1, "'OR' needs a term before it"},
      {"\"unclosed phrase", 1, "phrase is never closed"},
      {"peace ()", 8, "empty parentheses"},
      {"color:red", 1, "unknown field 'color'"},
      {"a*", 1, "at least two letters"},
      {"peace OR region:africa", 10, "cannot follow 'OR'"},
      // Queries that used to return every paragraph, or nothing, without a word of warning.
      {"!!!", 1, "nothing to search for"},
      {"\"\"", 1, "nothing to search for"},
      {"-", 1, "nothing to search for"},
      {"peace NEAR/x war", 7, "'NEAR/x' needs a number of words"},
      {"peace NEAR/3 (development OR war)", 14, "'NEAR/3' joins single words, not parentheses"},
      {"peace ADJ/2 \"global security\"", 13, "'ADJ/2' joins single words, not a phrase"},
      {"\"international community\" NEAR peace", 27, "'NEAR' joins single words, not a phrase"},
  };
  for (const auto& row : rows) {
    INFO(row.query);
    try {
      search(row.query);
      FAIL("no error for " << row.query);
    } catch (const QuerySyntaxError& e) {
      CHECK(e.column() == row.column);
      CHECK_THAT(e.what(), Catch::Contains(row.message));
    }
  }
}

TEST_CASE("bounds are enforced before Xapian sees the query", "[integration][search][limits]") {
  std::string deep;
  for (int i = 0; i < 40; ++i) deep += "(a AND ";
  deep += "b";
  for (int i = 0; i < 40; ++i) deep += ")";
  CHECK_THROWS_WITH(search(deep), Catch::Contains("nested deeper than 32"));
  std::string many;
  for (int i = 0; i < 300; ++i) many += "w" + std::to_string(i) + " OR ";
  many += "end";
  CHECK_THROWS_WITH(search(many), Catch::Contains("more than 256 words"));
  CHECK_THROWS_WITH(search(std::string(5000, 'x')), Catch::Contains("longer than 4096"));
  IndexReader reader = seed().reader();
  Searcher searcher(reader);
  SearchRequest request;
  request.query = "peace";
  request.offset = 9995;
  request.limit = 10;
  CHECK_THROWS_WITH(searcher.search(request), Catch::Contains("first 10000 results"));
  request.offset = 0;
  request.limit = 5000;
  CHECK_THROWS_WITH(searcher.search(request), Catch::Contains("maximum of 1000"));
  CHECK_THROWS_WITH(parse_filter("colour:red"), Catch::Contains("unknown filter field 'colour'"));
  CHECK_THROWS_WITH(parse_filter("region:"), Catch::Contains("has no value"));
  CHECK_THROWS_WITH(search("peace year:2025..2020"), Catch::Contains("ends before it starts"));
  // Punctuation next to words is harmless.
  CHECK(search("peace !!!").total == search("peace").total);
}

TEST_CASE("hostile queries from the issue list get clear errors or sane answers",
          "[integration][search][limits]") {
  const auto error_of = [](const std::string& query) -> std::string {
    try {
      search(query);
    } catch (const QuerySyntaxError& e) {
      return e.what();
    } catch (const Error& e) {
      return e.what();
    }
    return "no error";
  };
  // 10,000 nested parentheses and a 50,000-deep AND/OR chain: refused by length, before any
  // parsing (Xapian's matcher overflows the stack near 40,000 levels).
  std::string parens = std::string(10'000, '(') + "peace" + std::string(10'000, ')');
  CHECK_THAT(error_of(parens), Catch::Contains("longer than 4096"));
  std::string chain;
  for (int i = 0; i < 50'000; ++i) chain += (i % 2 ? " OR (t" : " AND (t") + std::to_string(i);
  chain += std::string(50'000, ')');
  CHECK_THAT(error_of(chain), Catch::Contains("longer than 4096"));
  // Within the length limit, depth and word count have their own bounds, checked by the
  // parser without recursing into the nesting.
  CHECK_THAT(error_of(std::string(2'000, '(') + "a" + std::string(2'000, ')')),
             Catch::Contains("nested deeper than 32"));
  std::string terms;
  for (int i = 0; i < 10'000 && terms.size() < 4000; ++i) terms += "w" + std::to_string(i) + " ";
  CHECK_THAT(error_of(terms), Catch::Contains("more than 256 words"));
  // `*` alone is every paragraph, not an error.
  CHECK(search("*").total == 114);
  // NUL bytes and invalid UTF-8 are repaired at the boundary, never passed to Xapian raw.
  CHECK(search(std::string("ASEAN\0way")).total >= 1);
  CHECK(search("ASEAN \xff\xfe way").total >= 1);
  // Markup in a query is text: it finds nothing here and cannot reach a snippet unescaped.
  const auto markup = search("<script>alert(1)</script> ASEAN");
  for (const auto& hit : markup.results) CHECK(hit.snippet.find("<script>") == std::string::npos);
}

TEST_CASE("a match that outruns the time backstop is an error, not inexact counts",
          "[integration][search][limits]") {
  IndexReader reader = seed().reader();
  SearchLimits limits;
  limits.max_seconds = 1e-9;
  Searcher searcher(reader, limits);
  SearchRequest request;
  request.query = "security OR cooperation OR development";
  CHECK_THROWS_WITH(searcher.search(request), Catch::Contains("ran longer than 1e-09 s"));
  Searcher normal(reader);
  CHECK(normal.search(request).total > 0);
}

TEST_CASE("markup in documents stays text in snippets", "[integration][search][escaping]") {
  test::TempDir dir;
  test::write_file(
      dir / "docs" / "hostile.txt",
      "A hostile paper\n\n<script>alert('x')</script> mentions <b>security</b> & \"quotes\".\n");
  IndexRunOptions options;
  options.index_dir = dir / "index";
  options.inputs = {dir / "docs"};
  REQUIRE(run_index(options).added == 1);
  IndexReader reader = IndexReader::open(IndexLocation::directory(dir / "index"));
  Searcher searcher(reader);
  SearchRequest request;
  request.query = "security alert";
  const auto r = searcher.search(request);
  REQUIRE(r.results.size() == 1);
  const std::string& snippet = r.results[0].snippet;
  CHECK(snippet.find("<script>") == std::string::npos);
  CHECK(snippet.find("&lt;script&gt;<mark>alert</mark>(&#39;x&#39;)&lt;/script&gt;") !=
        std::string::npos);
  CHECK(snippet.find("&lt;b&gt;<mark>security</mark>&lt;/b&gt; &amp; &quot;quotes&quot;") !=
        std::string::npos);
  CHECK(r.results[0].text.find("<script>alert('x')</script>") != std::string::npos);
}

TEST_CASE("long paragraphs get a window around the best matches",
          "[integration][search][snippets]") {
  const auto r = search("\"five-point initiative\" Middle East");
  REQUIRE(!r.results.empty());
  const std::string& s = r.results[0].snippet;
  CHECK(s.find("<mark>five-point initiative</mark>") != std::string::npos);
  CHECK(s.find("<mark>Middle East</mark>") == std::string::npos);  // not a phrase query
  CHECK(s.find("<mark>Middle</mark> <mark>East</mark>") != std::string::npos);
}

TEST_CASE("exact phrases on the UN General Debate sample equal brute force, ADJ/N stays wider",
          "[shared][search]") {
  test::skip_without_shared_corpus("UNGDC phrase brute-force test");
  test::TempDir dir;
  IndexReader reader = test::index_and_open(
      dir / "index", {test::shared_corpus() / "ungdc" / "sample" / "Session 79 - 2024"});
  Searcher searcher(reader);
  const auto matching = [&](const std::string& query) {
    std::set<std::string> ids;
    SearchRequest request;
    request.query = query;
    request.limit = 1000;
    for (;;) {
      const auto page = searcher.search(request);
      for (const auto& hit : page.results) ids.insert(hit.id);
      if (page.results.size() < request.limit) {
        CHECK(page.total == ids.size());
        return ids;
      }
      request.offset += request.limit;
    }
  };

  // Every paragraph as stems with positions, through the indexing Analyzer.
  Analyzer analyzer(reader.stem_language());
  struct Words {
    std::vector<std::string> stems;
    std::vector<std::uint32_t> positions;
  };
  std::map<std::string, Words> paragraphs;
  for (const auto& doc : reader.documents()) {
    for (const auto& record : reader.paragraphs(doc.meta.id, 0, doc.paragraph_count)) {
      Words& words = paragraphs[record.id];
      for (const auto& token : analyzer.tokenize(record.paragraph.text)) {
        words.stems.push_back(analyzer.stem(token.term));
        words.positions.push_back(token.position);
      }
    }
  }
  REQUIRE(paragraphs.size() == reader.paragraph_count());
  // Paragraphs where the words occur in order, the last at most `window` - 1 positions after
  // the first (Xapian's phrase window); `window` = words.size() is an exact phrase.
  const auto brute_force = [&](const std::vector<std::string>& words, std::uint32_t window) {
    std::vector<std::string> stems;
    for (const auto& w : words) stems.push_back(analyzer.stem(analyzer.normalize(w)));
    std::set<std::string> ids;
    for (const auto& [id, p] : paragraphs) {
      for (std::size_t i = 0; i < p.stems.size() && !ids.count(id); ++i) {
        if (p.stems[i] != stems[0]) continue;
        std::size_t next = 1;
        for (std::size_t j = i + 1; j < p.stems.size() && next < stems.size(); ++j) {
          if (p.positions[j] - p.positions[i] >= window) break;
          if (p.stems[j] == stems[next]) ++next;
        }
        if (next == stems.size()) ids.insert(id);
      }
    }
    return ids;
  };

  for (const std::vector<std::string>& phrase :
       {std::vector<std::string>{"international", "community"},
        {"sustainable", "development", "goals"},
        {"the", "united", "nations", "security", "council"},
        {"rule", "of", "law"},
        {"climate", "change"},
        {"of", "the"},
        // Common across a sentence end ("Thank you. The ..."), where no phrase matches.
        {"you", "the"},
        {"nations", "we"}}) {
    std::string quoted;
    for (const auto& w : phrase) quoted += (quoted.empty() ? "" : " ") + w;
    INFO(quoted);
    const auto expected = brute_force(phrase, static_cast<std::uint32_t>(phrase.size()));
    CHECK(!expected.empty());
    CHECK(matching("\"" + quoted + "\"") == expected);
  }
  // ADJ/3: the words in order, the second at most three positions after the first.
  const auto adjacent = matching("\"peace security\"");
  const auto within = matching("peace ADJ/3 security");
  CHECK(within == brute_force({"peace", "security"}, 4));
  CHECK(within.size() > adjacent.size() + 100);
  // Under NOT and beside other words, the phrase means the same.
  const auto climate = matching("climate");
  const auto not_change = matching("climate -\"climate change\"");
  CHECK(not_change.size() == climate.size() - matching("\"climate change\"").size());
}

TEST_CASE("a hyphenated word and the same word written together find each other",
          "[integration][search]") {
  test::TempDir dir;
  test::write_file(dir / "docs" / "old.txt",
                   "An old paper\n\nInternational co-operation between States grew.\n\n"
                   "The non-proliferation treaty holds.\n\nPeace keeping is hard.\n");
  test::write_file(dir / "docs" / "new.txt",
                   "A new paper\n\nInternational cooperation between States grew.\n\n"
                   "The nonproliferation treaty holds.\n\nOperation Sunrise began.\n");
  IndexReader reader = test::index_and_open(dir / "index", {dir / "docs"});
  REQUIRE(reader.document_count() == 2);
  Searcher searcher(reader);
  const auto find = [&](const std::string& q) {
    SearchRequest r;
    r.query = q;
    r.limit = 20;
    return searcher.search(r);
  };
  const auto ids = [](const SearchResponse& r) {
    std::set<std::string> out;
    for (const auto& hit : r.results) out.insert(hit.id);
    return out;
  };
  const std::set<std::string> cooperation{"new:1", "old:1"};
  for (const char* q : {"cooperation", "co-operation", "\"international cooperation\"",
                        "\"international co-operation\"", "\"cooperation between\""}) {
    INFO(q);
    CHECK(ids(find(q)) == cooperation);
  }
  for (const char* q : {"nonproliferation", "non-proliferation", "\"non-proliferation treaty\"",
                        "\"nonproliferation treaty\""}) {
    INFO(q);
    CHECK(ids(find(q)) == std::set<std::string>{"new:2", "old:2"});
  }
  // The hyphenated word is marked whole, for either spelling of the query.
  for (const char* q : {"cooperation", "co-operation"}) {
    for (const auto& hit : find(q).results) {
      if (hit.id == "old:1")
        CHECK(hit.snippet == "International <mark>co-operation</mark> between States grew.");
      if (hit.id == "new:1")
        CHECK(hit.snippet == "International <mark>cooperation</mark> between States grew.");
    }
  }
  // Excluding either spelling excludes both; the parts alone are still words of their own.
  CHECK(find("grew -cooperation").total == 0);
  CHECK(find("grew -co-operation").total == 0);
  CHECK(ids(find("operation")) == std::set<std::string>{"old:1", "new:3"});
  CHECK(ids(find("\"peace keeping\"")) == std::set<std::string>{"old:3"});
}

TEST_CASE("two frequent words in a row are indexed as a pair that phrases use instead of positions",
          "[integration][search][pairs]") {
  test::TempDir dir;
  test::write_file(dir / "docs" / "pairs.txt",
                   "A paper on pairs\n\n"
                   "The international community met. International co-operation between States "
                   "grew.\n\n"
                   "They spoke of everything international. Community leaders left.\n\n"
                   "The community international order holds.\n");
  const auto index_dir = dir / "index";
  const auto phrase_hits = [&](const std::string& phrase) {
    IndexReader reader = IndexReader::open(IndexLocation::directory(index_dir));
    Searcher searcher(reader);
    SearchRequest request;
    request.query = "\"" + phrase + "\"";
    std::vector<std::string> ids;
    const auto response = searcher.search(request);
    for (const auto& hit : response.results) ids.push_back(hit.id + " " + hit.snippet);
    return ids;
  };
  test::index_and_open(index_dir, {dir / "docs"});

  // The index side: pairs within a sentence, in order, and with the hyphenated word joined.
  {
    Xapian::Database db(index_dir.string());
    const std::string listed = db.get_metadata(std::string(schema::kWordPairsKey));
    CHECK(listed.find("\nintern\n") != std::string::npos);
    CHECK(listed.find("\ncommuniti\n") != std::string::npos);
    CHECK(db.get_termfreq("Pintern communiti") == 1);  // not across "international. Community"
    CHECK(db.get_termfreq("Pcommuniti intern") == 1);
    CHECK(db.get_termfreq("Pintern cooper") == 1);  // "International co-operation"
  }
  const std::vector<std::string> expected{
      "pairs:1 The <mark>international community</mark> met. International co-operation between "
      "States grew."};
  CHECK(phrase_hits("international community") == expected);
  CHECK(phrase_hits("international cooperation").size() == 1);
  CHECK(phrase_hits("international co-operation").size() == 1);
  CHECK(phrase_hits("community international").size() == 1);

  // An index without a list of pairs (built before them) answers the same through positions.
  {
    Xapian::WritableDatabase db(index_dir.string(), Xapian::DB_OPEN);
    db.set_metadata(std::string(schema::kWordPairsKey), "");
    db.commit();
  }
  CHECK(phrase_hits("international community") == expected);
  CHECK(phrase_hits("international co-operation").size() == 1);

  // With the list back, the phrase reads the pair term, not positions: a paragraph whose pair
  // term is taken away is no longer found.
  {
    Xapian::WritableDatabase db(index_dir.string(), Xapian::DB_OPEN);
    db.set_metadata(std::string(schema::kWordPairsKey), "communiti\nintern\n");
    const Xapian::docid id = *db.postlist_begin("Pintern communiti");
    Xapian::Document doc = db.get_document(id);
    doc.remove_term("Pintern communiti");
    db.replace_document(id, doc);
    db.commit();
  }
  CHECK(phrase_hits("international community").empty());
  CHECK(phrase_hits("community international").size() == 1);

  // A paper added later (a serial update of the index) gets the pairs of the index's list.
  test::write_file(dir / "more" / "later.txt",
                   "A later paper\n\nThe international community acted again.\n");
  test::index_and_open(index_dir, {dir / "more"});
  {
    Xapian::Database db(index_dir.string());
    CHECK(db.get_termfreq("Pintern communiti") == 1);
  }
  REQUIRE(phrase_hits("international community").size() == 1);
  CHECK(phrase_hits("international community")[0].rfind("later:1 ", 0) == 0);
}
