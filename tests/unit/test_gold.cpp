// Tagging quality on the hand-labelled seed paper (tests/data/seed-gold.tsv, rules in
// tests/data/seed-gold-rules.md): micro precision and recall per facet.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "concord/enrich.hpp"
#include "concord/ingest.hpp"
#include "test_support.hpp"

using namespace concord;

namespace {

struct Gold {
  std::set<std::string> topics, regions;
};

std::set<std::string> split_ids(const std::string& s) {
  std::set<std::string> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (!item.empty()) out.insert(item);
  }
  return out;
}

std::map<std::uint32_t, Gold> load_gold() {
  std::ifstream in(test::source_dir() / "tests" / "data" / "seed-gold.tsv");
  REQUIRE(in);
  std::map<std::uint32_t, Gold> gold;
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (header) {
      header = false;
      continue;
    }
    std::vector<std::string> fields;
    std::stringstream fs(line);
    std::string f;
    while (std::getline(fs, f, '\t')) fields.push_back(f);
    REQUIRE(fields.size() >= 3);
    gold[static_cast<std::uint32_t>(std::stoul(fields[0]))] =
        Gold{split_ids(fields[1]), split_ids(fields[2])};
  }
  return gold;
}

struct Score {
  std::size_t tp = 0, fp = 0, fn = 0;
  double precision() const {
    return tp + fp == 0 ? 1.0 : static_cast<double>(tp) / static_cast<double>(tp + fp);
  }
  double recall() const {
    return tp + fn == 0 ? 1.0 : static_cast<double>(tp) / static_cast<double>(tp + fn);
  }
  void add(const std::set<std::string>& predicted, const std::set<std::string>& expected,
           std::uint32_t ordinal, const char* what) {
    for (const auto& p : predicted) {
      if (expected.count(p)) {
        ++tp;
      } else {
        ++fp;
        std::cout << "  extra   " << what << " " << p << " on ¶" << ordinal << "\n";
      }
    }
    for (const auto& e : expected) {
      if (!predicted.count(e)) {
        ++fn;
        std::cout << "  missing " << what << " " << e << " on ¶" << ordinal << "\n";
      }
    }
  }
};

}  // namespace

TEST_CASE("seed gold set: topic and region precision and recall", "[quality][enrich]") {
  const auto gold = load_gold();
  const Paper paper = read_paper(test::seed_paper());
  REQUIRE(gold.size() == paper.paragraphs.size());
  Tagger tagger(Taxonomy::builtin(), Gazetteer::builtin());
  const PaperTags tags = tagger.tag(paper);
  Score topics, regions;
  for (std::size_t i = 0; i < paper.paragraphs.size(); ++i) {
    const auto ordinal = paper.paragraphs[i].ordinal;
    const Gold& g = gold.at(ordinal);
    const auto& t = tags.paragraphs[i];
    topics.add({t.topics.begin(), t.topics.end()}, g.topics, ordinal, "topic ");
    regions.add({t.regions.begin(), t.regions.end()}, g.regions, ordinal, "region");
  }
  std::cout << "topics:  precision " << topics.precision() << " recall " << topics.recall()
            << " (tp " << topics.tp << ", fp " << topics.fp << ", fn " << topics.fn << ")\n"
            << "regions: precision " << regions.precision() << " recall " << regions.recall()
            << " (tp " << regions.tp << ", fp " << regions.fp << ", fn " << regions.fn << ")\n";
  CHECK(topics.precision() >= 0.90);
  CHECK(topics.recall() >= 0.85);
  CHECK(regions.precision() >= 0.90);
  CHECK(regions.recall() >= 0.85);
}
