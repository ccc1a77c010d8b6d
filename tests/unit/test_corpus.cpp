// Structure and indexing on the real documents in ../shared/corpus (skipped when absent).
#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <sstream>

#include "concord/enrich.hpp"
#include "concord/index.hpp"
#include "concord/indexer.hpp"
#include "concord/ingest.hpp"
#include "concord/search.hpp"
#include "test_support.hpp"

using namespace concord;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> top_headings(const Paper& p) {
  std::vector<std::string> out;
  for (const auto& s : p.sections) {
    if (s.parent == -1) out.push_back(s.heading.substr(0, s.heading.find(' ', 8)));
  }
  return out;
}

}  // namespace

TEST_CASE("US NSS reports: roman, lower-roman and PILLAR sections", "[shared][structure]") {
  test::skip_without_shared_corpus("NSS structure test");
  const fs::path docs = test::shared_corpus() / "us-nss" / "docs";
  const Paper y2002 = read_paper(docs / "2002.txt");
  CHECK(y2002.sections.size() == 9);
  CHECK(y2002.sections[0].heading.rfind("i. Overview of America's International Strategy", 0) == 0);
  CHECK(y2002.sections[8].number == "9");
  // Running page headers ("National Security Strategy 11") are gone from the text.
  for (const auto& p : y2002.paragraphs)
    CHECK(p.text.rfind("National Security Strategy 1", 0) != 0);

  const Paper y2017 = read_paper(docs / "2017.txt");
  REQUIRE(y2017.sections.size() == 4);
  CHECK(y2017.sections[0].heading ==
        "PILLAR I Protect the American People, the Homeland, and the American Way of Life");
  CHECK(y2017.sections[3].heading == "PILLAR IV Advance American Influence");

  const Paper y1987 = read_paper(docs / "1987.txt");
  CHECK(top_headings(y1987).size() == 6);
  // "6.1 percent of GNP" is prose, not section 6.1.
  for (const auto& s : y1987.sections) CHECK(s.heading.rfind("6.1 percent", 0) != 0);
}

TEST_CASE("UN General Debate statements: wrapped, per-line and damaged layouts",
          "[shared][structure]") {
  test::skip_without_shared_corpus("UNGDC structure test");
  const fs::path session = test::shared_corpus() / "ungdc" / "sample" / "Session 79 - 2024";
  // Hard-wrapped at ~100 characters, with a page break (blank line) in mid-sentence.
  const Paper chn = read_paper(session / "CHN_79_2024.txt");
  CHECK(chn.sections.empty());
  CHECK(chn.paragraphs[0].text == "Mr. President, Colleagues,");
  CHECK(chn.paragraphs[1].text.find("Meanwhile, we are also embracing a world full of hope.") !=
        std::string::npos);
  for (const auto& p : chn.paragraphs) CHECK(p.text.find("\n") == std::string::npos);
  // Mixed: wrapped lines and one-line paragraphs.
  const Paper lva = read_paper(session / "LVA_79_2024.txt");
  CHECK(lva.paragraphs[3].text.find("I assure you of Latvia's full cooperation along the way.") !=
        std::string::npos);
  CHECK(lva.paragraphs[5].text == "Allow me to highlight a few points.");
}

TEST_CASE("the UNGDC sample and NSS index without a single failure", "[shared][integration]") {
  test::skip_without_shared_corpus("corpus indexing test");
  test::TempDir dir;
  IndexRunOptions options;
  options.index_dir = dir / "index";
  options.inputs = {test::shared_corpus() / "ungdc" / "sample",
                    test::shared_corpus() / "us-nss" / "docs"};
  const IndexReport r = run_index(options);
  CHECK(r.failed == 0);
  CHECK(r.added >= 590);
  CHECK(r.index_paragraphs > 20000);
  IndexReader reader = IndexReader::open(IndexLocation::directory(dir / "index"));
  Searcher searcher(reader);
  SearchRequest request;
  request.query = "\"indivisible security\"";
  const auto found = searcher.search(request);
  CHECK(found.total >= 3);
  for (const auto& hit : found.results) {
    CHECK(hit.snippet.find("<mark>indivisible security</mark>") != std::string::npos);
  }
  // Every paragraph's offsets fall inside its source file.
  for (const auto& doc : reader.documents()) {
    const auto size = fs::file_size(doc.source_path);
    for (const auto& p : reader.paragraphs(doc.meta.id, 1, 3)) CHECK(p.paragraph.end <= size);
  }
}

TEST_CASE("the gazetteer covers every ISO 3166 code and every UN General Debate speaker",
          "[shared][enrich]") {
  test::skip_without_shared_corpus("gazetteer coverage test");
  const auto gazetteer = Gazetteer::builtin();
  const auto codes_in = [](const fs::path& csv, const std::string& column) {
    std::ifstream in(csv);
    std::string line;
    std::getline(in, line);
    std::vector<std::string> header;
    std::stringstream hs(line);
    for (std::string f; std::getline(hs, f, ',');) header.push_back(f);
    const auto col =
        static_cast<std::size_t>(std::find(header.begin(), header.end(), column) - header.begin());
    std::set<std::string> codes;
    while (std::getline(in, line)) {
      // Quoted names with commas come before the code columns in the ISO table: split naively
      // from the right for that file, from the left for the UNGDC one.
      std::vector<std::string> fields;
      std::string field;
      bool quoted = false;
      for (const char c : line) {
        if (c == '"')
          quoted = !quoted;
        else if (c == ',' && !quoted) {
          fields.push_back(field);
          field.clear();
        } else
          field.push_back(c);
      }
      fields.push_back(field);
      if (col < fields.size() && !fields[col].empty()) codes.insert(fields[col]);
    }
    return codes;
  };
  const auto iso = codes_in(test::shared_corpus() / "regions" / "iso3166-regions.csv", "alpha-3");
  CHECK(iso.size() >= 249);
  for (const auto& code : iso) {
    INFO(code);
    CHECK(gazetteer->find(code) != nullptr);
  }
  const auto speakers = codes_in(test::shared_corpus() / "ungdc" / "metadata.csv", "country_iso3");
  CHECK(speakers.size() >= 190);
  for (const auto& code : speakers) {
    INFO(code);
    REQUIRE(gazetteer->find(code) != nullptr);
    const auto path = gazetteer->path(code);
    CHECK(path.front() == "world");
    CHECK(path.size() >= 3);  // world, a continent or grouping, ...
  }
}
