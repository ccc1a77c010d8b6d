// End-to-end: the concord binary as a user runs it.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "fixtures.hpp"
#include "test_support.hpp"

namespace ct = concord::test;
using nlohmann::json;

namespace {

struct Indexed {
  concord::test::TempDir dir;
  std::string index;
  concord::test::ProcessResult result;
  Indexed() : index((dir / "index").string()) {
    result = ct::concord(
        {"index", "--index", index, (concord::test::source_dir() / "sample_docs").string()});
  }
};

const Indexed& indexed() {
  static const Indexed i;
  return i;
}

}  // namespace

TEST_CASE("index then search --json round trip", "[cli]") {
  const auto& i = indexed();
  REQUIRE(i.result.exit_code == 0);
  CHECK_THAT(i.result.out,
             Catch::Contains("1 added") && Catch::Contains("Index: 1 paper, 114 paragraphs."));

  const auto r = ct::concord({"search", "--index", i.index, "--json", "\"ASEAN way\""});
  REQUIRE(r.exit_code == 0);
  const json j = json::parse(r.out);
  CHECK(j["query"] == "\"ASEAN way\"");
  CHECK(j["total"] == 1);
  CHECK(j["offset"] == 0);
  CHECK(j["limit"] == 10);
  REQUIRE(j["results"].size() == 1);
  const json& hit = j["results"][0];
  CHECK(hit["id"] == "gsi-concept-paper:65");
  CHECK(hit["doc"]["id"] == "gsi-concept-paper");
  CHECK(hit["doc"]["title"] == "The Global Security Initiative Concept Paper");
  CHECK(hit["doc"]["date"] == "2023-02-21");
  CHECK(hit["doc"]["country"] == "China");
  CHECK(hit["doc"]["language"] == "en");
  CHECK(hit["section"][0] == "3. Key cooperation directions");
  CHECK(hit["section_number"] == "3.6");
  CHECK(hit["paragraph"] == 65);
  CHECK(hit["snippet"].get<std::string>().find("<mark>ASEAN way</mark>") != std::string::npos);
  CHECK(hit["topics"].is_array());
  CHECK(hit["regions"].is_array());
  CHECK(j["facets"].is_object());
  // Key order is part of the contract for people reading the JSON.
  std::vector<std::string> keys;
  const auto ordered = nlohmann::ordered_json::parse(r.out);
  for (auto it = ordered.begin(); it != ordered.end(); ++it) keys.push_back(it.key());
  CHECK(std::vector<std::string>(keys.begin(), keys.begin() + 6) ==
        std::vector<std::string>{"query", "total", "offset", "limit", "results", "facets"});
}

TEST_CASE("human output shows breadcrumb and snippet", "[cli]") {
  const auto r = ct::concord({"search", "--index", indexed().index, "biosecurity"});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("3. Key cooperation directions › (14) Strengthen biosecurity"));
  CHECK_THAT(r.out, Catch::Contains("[biosecurity]"));
  CHECK_THAT(r.out, Catch::Contains("gsi-concept-paper:85"));

  // A quoted phrase is echoed as typed, not in a second pair of quotes.
  const auto phrase = ct::concord({"search", "--index", indexed().index, "\"ASEAN way\""});
  REQUIRE(phrase.exit_code == 0);
  CHECK_THAT(phrase.out, Catch::StartsWith("1 paragraph matches \"ASEAN way\" (showing 1"));
}

TEST_CASE("exit codes: bad query 2, unknown filter 2, missing index 4", "[cli]") {
  auto r = ct::concord({"search", "--index", indexed().index, "peace)"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("')' without a matching '('") && Catch::Contains("^"));
  CHECK(r.err.find("terminate") == std::string::npos);
  r = ct::concord({"search", "--index", indexed().index, "--json", "peace)"});
  CHECK(r.exit_code == 2);
  CHECK(json::parse(r.out)["error"]["column"] == 6);
  r = ct::concord({"search", "--index", indexed().index, "--filter", "colour:red", "peace"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("unknown filter field 'colour'"));
  concord::test::TempDir empty;
  r = ct::concord({"search", "--index", (empty / "none").string(), "peace"});
  CHECK(r.exit_code == 4);
  CHECK_THAT(r.err, Catch::Contains("no index at"));
  r = ct::concord({"search", "--bogus-option"});
  CHECK(r.exit_code == 2);
  r = ct::concord({"search", "--index", indexed().index, "--facet", "colour", "peace"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("unknown facet 'colour'"));
  // An unquoted exclusion reaches the shell's argument list as an option: say what to do.
  r = ct::concord({"search", "--index", indexed().index, "nuclear", "-war"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("quote the whole query"));
  r = ct::concord({"search", "--index", indexed().index, "--json", "--", "nuclear", "-war"});
  CHECK(r.exit_code == 0);
  CHECK(json::parse(r.out)["total"] == 3);
}

TEST_CASE("documents, show and inspect", "[cli]") {
  auto r = ct::concord({"documents", "--index", indexed().index, "--json"});
  REQUIRE(r.exit_code == 0);
  const json docs = json::parse(r.out);
  REQUIRE(docs["total"] == 1);
  CHECK(docs["documents"][0]["id"] == "gsi-concept-paper");
  CHECK(docs["documents"][0]["paragraphs"] == 114);

  r = ct::concord({"show", "--index", indexed().index, "--json", "gsi-concept-paper"});
  REQUIRE(r.exit_code == 0);
  const json doc = json::parse(r.out);
  CHECK(doc["sections"].size() == 35);
  CHECK(doc["sections"][0]["heading"] == "1. Background");

  r = ct::concord({"show", "--index", indexed().index, "no-such-doc"});
  CHECK(r.exit_code == 4);

  r = ct::concord({"inspect", "--json", concord::test::seed_paper().string()});
  REQUIRE(r.exit_code == 0);
  CHECK(json::parse(r.out)["paragraphs"].size() == 114);
}

TEST_CASE("a batch with failures exits 3 and still commits the good files", "[cli]") {
  concord::test::TempDir dir;
  concord::test::write_file(dir / "docs" / "good.txt", "Good text about rivers.\n");
  concord::test::write_file(dir / "docs" / "empty.txt", "");
  const std::string index = (dir / "index").string();
  auto r = ct::concord({"index", "--index", index, "--json", (dir / "docs").string()});
  CHECK(r.exit_code == 3);
  const json report = json::parse(r.out);
  CHECK(report["added"] == 1);
  CHECK(report["failed"] == 1);
  r = ct::concord({"search", "--index", index, "--json", "rivers"});
  CHECK(json::parse(r.out)["total"] == 1);
  r = ct::concord({"remove", "--index", index, "good"});
  CHECK(r.exit_code == 0);
  r = ct::concord({"search", "--index", index, "--json", "rivers"});
  CHECK(json::parse(r.out)["total"] == 0);
}

TEST_CASE("mixed formats: bad files summed up at the end with exit 3, PDF pages shown",
          "[cli][formats]") {
  concord::test::TempDir dir;
  const auto docs = dir / "docs";
  ct::write_file(docs / "report.pdf",
                 ct::make_pdf({{{700, "Page one is about rivers."}},
                               {{700, "Page two is about glaciers and ice."}}}));
  ct::write_file(docs / "notes.txt", "Notes on glaciers.\n");
  ct::write_file(docs / "broken.pdf", "%PDF-1.7 broken");
  ct::write_file(docs / "fake.docx", "Plain text with a Word name.");
  const std::string index = (dir / "index").string();
  auto r = ct::concord({"index", "--index", index, docs.string()});
  CHECK(r.exit_code == 3);
  // The summary comes after the totals and names each failed file with its reason.
  const std::size_t totals = r.out.find("2 added, 0 updated, 0 unchanged, 0 removed, 2 failed");
  const std::size_t summary = r.out.find("2 file(s) could not be indexed:");
  REQUIRE(totals != std::string::npos);
  REQUIRE(summary != std::string::npos);
  CHECK(summary > totals);
  const std::string tail = r.out.substr(summary);
  CHECK_THAT(tail, Catch::Contains("  - " + (docs / "broken.pdf").string()) &&
                       Catch::Contains("corrupt PDF"));
  CHECK_THAT(tail, Catch::Contains("  - " + (docs / "fake.docx").string()) &&
                       Catch::Contains("named .docx but its content is text"));
  r = ct::concord({"search", "--index", index, "glaciers"});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("report:") && Catch::Contains(" \xC2\xB7 p. 2 \xC2\xB7 score"));
  // A text file has no pages, so its hit shows none.
  const std::size_t notes = r.out.find("notes:");
  REQUIRE(notes != std::string::npos);
  CHECK(r.out.substr(notes, r.out.find('\n', notes) - notes).find("p. ") == std::string::npos);
}

TEST_CASE("lang:zh finds the one Chinese paragraph of an English paper", "[cli][chinese]") {
  concord::test::TempDir dir;
  ct::write_file(dir / "docs" / "mixed.txt",
                 "Cooperation on rivers\n\nThe commission meets every year to share data on "
                 "floods.\n\n全球安全倡议是中国提出的重要倡议，各国应当共同维护和平。\n\n"
                 "Members agree to publish their findings in English as well.\n");
  const std::string index = (dir / "index").string();
  REQUIRE(ct::concord({"index", "--index", index, (dir / "docs").string()}).exit_code == 0);
  auto r = ct::concord({"search", "--index", index, "--json", "-f", "lang:zh", "*"});
  REQUIRE(r.exit_code == 0);
  const json zh = json::parse(r.out);
  REQUIRE(zh["total"] == 1);
  CHECK(zh["results"][0]["text"] == "全球安全倡议是中国提出的重要倡议，各国应当共同维护和平。");
  CHECK(zh["results"][0]["doc"]["language"] == "en");
  // The two English paragraphs (the first line is the title, not an entry).
  r = ct::concord({"search", "--index", index, "--json", "-f", "lang:en", "*"});
  const json en = json::parse(r.out);
  REQUIRE(en["total"] == 2);
  for (const auto& hit : en["results"])
    CHECK(hit["text"].get<std::string>().find("全球") == std::string::npos);
}

TEST_CASE("CONCORD_INDEX selects the index", "[cli]") {
  const auto r = [] {
    const concord::test::ScopedEnv index("CONCORD_INDEX", indexed().index);
    return ct::concord({"search", "--json", "maritime"});
  }();
  REQUIRE(r.exit_code == 0);
  CHECK(json::parse(r.out)["total"].get<int>() > 0);
}

TEST_CASE("an index directory with a comma in its name is one index, not two shards", "[cli]") {
  concord::test::TempDir dir;
  const std::string index = (dir / "Reports, 2023").string();
  REQUIRE(ct::concord(
              {"index", "--index", index, (concord::test::source_dir() / "sample_docs").string()})
              .exit_code == 0);
  const auto r = ct::concord({"search", "--index", index, "--json", "\"ASEAN way\""});
  REQUIRE(r.exit_code == 0);
  CHECK(json::parse(r.out)["total"] == 1);
}

TEST_CASE("facets and filters from the command line", "[cli][facets]") {
  auto r = ct::concord(
      {"search", "--index", indexed().index, "--json", "--filter", "region:Africa", "peace"});
  REQUIRE(r.exit_code == 0);
  const json j = json::parse(r.out);
  REQUIRE(j["total"].get<int>() > 0);
  for (const auto& hit : j["results"]) {
    bool african = false;
    for (const auto& region : hit["regions"]) {
      const std::string id = region.get<std::string>();
      african = african || id == "africa" || id == "horn-of-africa" || id == "sahel" ||
                id == "great-lakes";
    }
    CHECK(african);
  }
  bool africa_selected = false;
  for (const auto& fv : j["facets"]["region"]) {
    if (fv["value"] == "africa") africa_selected = fv["selected"].get<bool>();
    CHECK(fv["path"].is_array());
  }
  CHECK(africa_selected);
  CHECK(j["facets"]["topic"].size() > 0);
  CHECK(j["facets"]["country"][0]["value"] == "CHN");
  CHECK(j["facets"]["country"][0]["label"] == "China");

  r = ct::concord({"search", "--index", indexed().index, "--json", "region:africa peace"});
  CHECK(json::parse(r.out)["total"] == j["total"]);
}

TEST_CASE("explain shows why a paragraph has its tags", "[cli][facets]") {
  const auto r = ct::concord({"explain", "--index", indexed().index, "gsi-concept-paper:87"});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("Biosecurity") && Catch::Contains("heading: biosecurity"));
  const auto regions = ct::concord({"explain", "--index", indexed().index, "gsi-concept-paper:71"});
  CHECK_THAT(regions.out,
             Catch::Contains("Horn of Africa") && Catch::Contains("because: Horn of Africa"));
}

TEST_CASE("a malformed taxonomy or gazetteer is an error with file and line, exit 2",
          "[cli][facets]") {
  concord::test::TempDir dir;
  concord::test::write_file(dir / "docs" / "a.txt", "Peace.\n");
  concord::test::write_file(dir / "bad.ini", "[ok]\nlabel = OK\nphrases = ok\n\n[ok]\n");
  auto r = ct::concord({"index", "--index", (dir / "index").string(), "--taxonomy",
                        (dir / "bad.ini").string(), (dir / "docs").string()});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("bad.ini:5: topic 'ok' is defined twice"));
  concord::test::write_file(dir / "bad.txt",
                            "world |  | world | World |\nafrica | world | continent\n");
  r = ct::concord({"index", "--index", (dir / "index").string(), "--gazetteer",
                   (dir / "bad.txt").string(), (dir / "docs").string()});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("bad.txt:2: expected 5 fields"));
  CHECK_FALSE(std::filesystem::exists(dir / "index" / "iamglass"));
}

TEST_CASE("log levels: --log-level and CONCORD_LOG choose what goes to stderr", "[cli][logging]") {
  auto r = ct::concord({"--log-level", "debug", "search", "--index", indexed().index, "peace"});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("debug: search 'peace'"));
  r = ct::concord({"search", "--index", indexed().index, "peace"});
  CHECK(r.err.empty());  // warn by default: a clean search says nothing on stderr
  r = ct::concord({"--log-level", "chatty", "search", "--index", indexed().index, "peace"});
  CHECK(r.exit_code == 2);
  concord::test::TempDir dir;
  concord::test::write_file(dir / "docs" / "a.txt", "Peace.\n");
  {
    const concord::test::ScopedEnv log("CONCORD_LOG", "info");
    r = ct::concord({"index", "--index", (dir / "index").string(), (dir / "docs").string()});
  }
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("info: ") && Catch::Contains("a.txt: added as a"));
}

TEST_CASE("a custom taxonomy stays with the index until another is asked for", "[cli][facets]") {
  concord::test::TempDir dir;
  const std::string index = (dir / "index").string();
  concord::test::write_file(dir / "docs" / "a.txt", "Wombats and peace.\n");
  concord::test::write_file(dir / "mine.ini", "[wombats]\nlabel = Wombats\nphrases = wombat\n");
  auto r = ct::concord({"index", "--index", index, "--taxonomy", (dir / "mine.ini").string(),
                        (dir / "docs").string()});
  REQUIRE(r.exit_code == 0);
  const auto topics_of_hit = [&] {
    const auto s = ct::concord({"search", "--index", index, "--json", "wombats"});
    return json::parse(s.out)["results"][0]["topics"].dump();
  };
  CHECK(topics_of_hit() == R"(["wombats"])");
  // The paper changes; a plain re-run re-tags it with the index's own taxonomy.
  concord::test::write_file(dir / "docs" / "a.txt", "Wombats, peace and nuclear weapons.\n");
  r = ct::concord({"index", "--index", index, (dir / "docs").string()});
  REQUIRE(r.exit_code == 0);
  CHECK(topics_of_hit() == R"(["wombats"])");
  CHECK_THAT(ct::concord({"taxonomy", "--index", index}).out, Catch::Contains("Wombats"));
  r = ct::concord({"index", "--index", index, "--taxonomy", "builtin", (dir / "docs").string()});
  REQUIRE(r.exit_code == 0);
  CHECK(topics_of_hit() == R"(["nuclear"])");
}

TEST_CASE("compare, similar and trace from the command line", "[cli][compare]") {
  concord::test::TempDir dir;
  std::string edited = concord::test::read_file(concord::test::seed_paper());
  const std::string from =
      "We support the political settlement of hot issues such as the Ukraine crisis";
  edited.replace(
      edited.find(from), from.size(),
      "We firmly support the political settlement of hotspot issues such as the Ukraine crisis");
  concord::test::write_file(dir / "edited.txt", edited);
  // Two files, no index needed.
  auto r = ct::concord({"compare", "--index", (dir / "none").string(), "--json",
                        concord::test::seed_paper().string(), (dir / "edited.txt").string()});
  REQUIRE(r.exit_code == 0);
  const json c = json::parse(r.out);
  CHECK(c["identical"] == false);
  CHECK(c["a_only"].empty());
  bool found = false;
  for (const auto& pair : c["pairs"]) {
    if (pair["a"][0] != 64) continue;
    found = true;
    std::string deleted, inserted;
    for (const auto& op : pair["diff"]) {
      if (op["op"] == "delete") deleted += op["text"].get<std::string>();
      if (op["op"] == "insert") inserted += op["text"].get<std::string>();
    }
    CHECK(deleted == "hot ");
    CHECK(inserted == "firmly hotspot ");
  }
  CHECK(found);
  r = ct::concord({"compare", concord::test::seed_paper().string(), (dir / "edited.txt").string(),
                   "--index", (dir / "none").string()});
  CHECK_THAT(r.out, Catch::Contains("of A's wording is found unchanged in B") &&
                        Catch::Contains("{+firmly +}") && Catch::Contains("[-hot -]{+hotspot +}"));
  r = ct::concord({"compare", "--index", indexed().index, "gsi-concept-paper", "nonexistent"});
  CHECK(r.exit_code == 4);
  CHECK_THAT(r.err, Catch::Contains(
                        "'nonexistent' is neither a document id in the index nor a readable file"));

  r = ct::concord({"trace", "--index", indexed().index, "--json", "indivisible", "security"});
  REQUIRE(r.exit_code == 0);
  CHECK(json::parse(r.out)["paragraphs"].get<int>() >= 1);
  r = ct::concord({"trace", "--index", indexed().index, "outer space"});
  CHECK_THAT(r.out, Catch::Contains("\"outer space\": 4 paragraphs in 1 paper (") &&
                        Catch::Contains("2023"));

  // Papers without dates: the missing timeline is explained, not silently left out.
  concord::test::write_file(dir / "undated" / "a.txt",
                            "Indivisible security first.\n\nAnd indivisible security again.\n");
  REQUIRE(ct::concord(
              {"index", "--index", (dir / "undated-index").string(), (dir / "undated").string()})
              .exit_code == 0);
  r = ct::concord(
      {"trace", "--index", (dir / "undated-index").string(), "indivisible", "security"});
  CHECK_THAT(r.out, Catch::Contains("no first or latest occurrence and no timeline: 2 occurrences "
                                    "in papers without a date; give dates via a sidecar"));

  r = ct::concord(
      {"similar", "--index", indexed().index, "--json", "--text",
       "all countries should uphold the ASEAN way of reaching a consensus through consultation"});
  REQUIRE(r.exit_code == 0);
  const json s = json::parse(r.out);
  REQUIRE(s["results"].size() == 1);
  CHECK(s["results"][0]["id"] == "gsi-concept-paper:65");
  r = ct::concord(
      {"similar", "--index", indexed().index, "--text",
       "all countries should uphold the ASEAN way of reaching a consensus through consultation"});
  CHECK_THAT(r.out, Catch::StartsWith("1 paragraph shares wording with the source (13 words; "));
  r = ct::concord({"similar", "--index", indexed().index});
  CHECK(r.exit_code == 2);
}
