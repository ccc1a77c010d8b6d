// Chinese: word segmentation, phrase search, snippets, structure and the language facet.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "concord/index.hpp"
#include "concord/indexer.hpp"
#include "concord/ingest.hpp"
#include "concord/search.hpp"
#include "test_support.hpp"

using namespace concord;

namespace {

// The Government Work Reports of the years `wanted` picks, as report-YEAR.txt with a sidecar
// (title, year, China) in `docs`; returns how many were written.
int write_reports(const std::filesystem::path& docs, const std::function<bool(int)>& wanted) {
  std::ifstream in(test::shared_corpus() / "cn-gov-reports" / "government_work_reports.jsonl");
  std::string line;
  int written = 0;
  while (std::getline(in, line)) {
    const auto j = nlohmann::json::parse(line);
    if (!j.contains("year") || j["year"].is_null()) continue;
    const int year = j["year"].is_number() ? j["year"].get<int>()
                                           : std::atoi(j["year"].get<std::string>().c_str());
    if (!wanted(year)) continue;
    const std::string name = "report-" + std::to_string(year);
    test::write_file(docs / (name + ".txt"), j["content"].get<std::string>());
    test::write_file(
        docs / (name + ".meta.json"),
        nlohmann::json{{"title", j["title"]}, {"date", std::to_string(year)}, {"country", "China"}}
            .dump());
    ++written;
  }
  return written;
}

struct ChineseIndex {
  test::TempDir dir;
  ChineseIndex() {
    test::write_file(dir / "docs" / "zh.txt",
                     "全球安全倡议概念文件\n\n"
                     "一、背景\n\n"
                     "安全是发展的前提，人类是不可分割的安全共同体。\n\n"
                     "二、核心理念与原则\n\n"
                     "（一）坚持共同、综合、合作、可持续的安全观。\n\n"
                     "各国应当尊重彼此的主权和领土完整。\n\n"
                     "（二）坚持尊重各国主权、领土完整。\n\n"
                     "本地企业积极参与区域合作。\n\n"
                     "共同体的建设离不开安全的保障。\n");
    test::write_file(dir / "docs" / "en.txt",
                     "An English paper\n\nAll countries share one security community.\n");
    test::write_file(dir / "docs" / "honda.txt", "本田公司的报告\n\n本田公司发布了新的报告。\n");
    IndexRunOptions options;
    options.index_dir = dir / "index";
    options.inputs = {dir / "docs"};
    REQUIRE(run_index(options).added == 3);
  }
  SearchResponse search(const std::string& q, std::vector<Filter> filters = {}) {
    IndexReader reader = IndexReader::open(IndexLocation::directory(dir / "index"));
    Searcher searcher(reader);
    SearchRequest r;
    r.query = q;
    r.filters = std::move(filters);
    r.limit = 50;
    return searcher.search(r);
  }
};

ChineseIndex& index() {
  static ChineseIndex i;
  return i;
}

}  // namespace

TEST_CASE("Chinese numbering gives the structure", "[chinese][structure]") {
  const Paper p = read_paper(index().dir / "docs" / "zh.txt");
  CHECK(p.meta.language == "zh");
  CHECK(p.meta.title == "全球安全倡议概念文件");
  REQUIRE(p.sections.size() == 4);
  CHECK(p.sections[0].heading == "一、背景");
  CHECK(p.sections[2].number == "2.1");
  CHECK(p.sections[3].heading == "（二）坚持尊重各国主权、领土完整。");
  CHECK(p.paragraphs[2].section_number == "2.1");
}

TEST_CASE("a Chinese query finds the paragraph, word by word, with the right characters marked",
          "[chinese][search]") {
  // A run of Chinese words is a phrase of those words; spaces make them separate words.
  const auto words = index().search("安全 共同体");
  REQUIRE(words.total == 2);
  const auto phrase = index().search("\"安全共同体\"");
  REQUIRE(phrase.total == 1);
  CHECK(phrase.results[0].snippet == "安全是发展的前提，人类是不可分割的<mark>安全共同体</mark>。");
  // Without quotes, a run of Chinese words is still read as a phrase of those words.
  const auto run = index().search("不可分割的安全");
  REQUIRE(run.total == 1);
  CHECK(run.results[0].snippet.find("<mark>不可分割的安全</mark>") != std::string::npos);
}

TEST_CASE("no false matches across word boundaries", "[chinese][search]") {
  // 本田 (Honda) and 本地 (local) share a character; word segmentation keeps them apart.
  const auto honda = index().search("本田");
  REQUIRE(honda.total == 1);
  for (const auto& hit : honda.results) CHECK(hit.doc.id == "honda");
  const auto local = index().search("本地");
  REQUIRE(local.total == 1);
  CHECK(local.results[0].text == "本地企业积极参与区域合作。");
  CHECK(index().search("田公").total == 0);
}

TEST_CASE("language facet and filter", "[chinese][facets]") {
  const auto all = index().search("*");
  std::map<std::string, std::uint64_t> langs;
  for (const auto& fv : all.facets.at("lang")) langs[fv.value] = fv.count;
  CHECK(langs["zh"] == 7);
  CHECK(langs["en"] == 1);
  CHECK(index().search("*", {Filter{"lang", "zh", false}}).total == 7);
  CHECK(index().search("security lang:en").total == 1);
}

TEST_CASE("Government Work Reports: structure and the Global Security Initiative",
          "[chinese][shared]") {
  test::skip_without_shared_corpus("Chinese government reports test");
  test::TempDir dir;
  REQUIRE(write_reports(dir / "docs", [](int year) { return year >= 2013; }) >= 10);
  IndexRunOptions options;
  options.index_dir = dir / "index";
  options.inputs = {dir / "docs"};
  const auto report = run_index(options);
  CHECK(report.failed == 0);
  const Paper p2023 = read_paper(dir / "docs" / "report-2023.txt");
  CHECK(p2023.meta.language == "zh");
  CHECK(p2023.sections.front().heading == "一、过去一年和五年工作回顾");
  CHECK(p2023.sections.size() >= 10);
  IndexReader reader = IndexReader::open(IndexLocation::directory(dir / "index"));
  Searcher searcher(reader);
  SearchRequest request;
  request.query = "全球安全倡议";
  request.limit = 50;
  const auto found = searcher.search(request);
  REQUIRE(found.total >= 3);
  std::set<std::string> years;
  for (const auto& fv : found.facets.at("year")) years.insert(fv.value);
  CHECK(years.count("2023") == 1);
  CHECK(years.count("2024") == 1);
  CHECK(years.count("2025") == 1);
  CHECK(years.count("2016") == 0);
  for (const auto& hit : found.results)
    CHECK(hit.snippet.find("<mark>全球安全倡议</mark>") != std::string::npos);
}

TEST_CASE("Government Work Reports 2023 and 2024 get topics and regions", "[chinese][shared]") {
  test::skip_without_shared_corpus("Chinese government reports topic and region test");
  test::TempDir dir;
  REQUIRE(write_reports(dir / "docs", [](int year) { return year == 2023 || year == 2024; }) == 2);
  IndexRunOptions options;
  options.index_dir = dir / "index";
  options.inputs = {dir / "docs"};
  REQUIRE(run_index(options).failed == 0);
  IndexReader reader = IndexReader::open(IndexLocation::directory(dir / "index"));
  Searcher searcher(reader);
  const auto search = [&](const std::string& q, const std::string& doc) {
    SearchRequest r;
    r.query = q;
    r.filters = {Filter{"doc", doc, false}};
    r.limit = 1000;
    return searcher.search(r);
  };
  const auto has = [](const std::vector<std::string>& list, const std::string& v) {
    return std::find(list.begin(), list.end(), v) != list.end();
  };
  const auto count = [](const std::vector<FacetValue>& values, const std::string& v) {
    for (const auto& fv : values)
      if (fv.value == v) return fv.count;
    return std::uint64_t{0};
  };

  for (const std::string doc : {"report-2023", "report-2024"}) {
    INFO(doc);
    const auto all = search("*", doc);
    REQUIRE(all.total > 100);
    // Before Chinese names and phrases, both facets were empty.
    const auto& topics = all.facets.at("topic");
    const auto& regions = all.facets.at("region");
    CHECK(topics.size() >= 15);
    CHECK(count(topics, "development") >= 20);
    CHECK(count(topics, "trade-economy") >= 20);
    CHECK(count(topics, "security-architecture") >= 1);  // 全球安全倡议
    CHECK(count(regions, "CHN") >= 15);
    CHECK(count(regions, "HKG") >= 2);
    CHECK(count(regions, "MAC") >= 2);
    CHECK(count(regions, "TWN") >= 2);
    CHECK(count(regions, "BRA") == 1);           // 金砖国家, once in the foreign-policy review
    CHECK(count(regions, "asia-pacific") == 1);  // 亚太经合组织
    std::size_t both = 0;
    for (const auto& hit : all.results) both += !hit.regions.empty() && !hit.topics.empty();
    CHECK(both >= 15);
    // The Taiwan paragraph: 台湾 and 两岸关系, sovereignty topic in 2023 and 2024 alike.
    const auto taiwan = search("\"九二共识\"", doc);
    REQUIRE(taiwan.total == 1);
    CHECK(has(taiwan.results[0].regions, "TWN"));
    CHECK(has(taiwan.results[0].regions, "CHN"));
  }

  // 2024: "推进中国－东盟自贸区3.0版谈判" -> China and ASEAN (south-eastern Asia), trade.
  const auto asean = search("东盟", "report-2024");
  REQUIRE(asean.total == 1);
  CHECK(asean.results[0].regions == std::vector<std::string>{"CHN", "south-eastern-asia"});
  CHECK(has(asean.results[0].topics, "trade-economy"));
  // 2024 foreign-policy review: BRICS, APEC, East Asia cooperation, the China-Central Asia
  // summit; the Global Development and Security Initiatives; hotspot issues.
  const auto review = search("\"中国－中亚峰会\"", "report-2024");
  REQUIRE(review.total == 1);
  for (const char* id :
       {"BRA", "CHN", "IND", "RUS", "ZAF", "asia-pacific", "central-asia", "eastern-asia"}) {
    INFO(id);
    CHECK(has(review.results[0].regions, id));
  }
  for (const char* id :
       {"development", "regional-hotspots", "security-architecture", "trade-economy"}) {
    INFO(id);
    CHECK(has(review.results[0].topics, id));
  }
  // 2023 foreign-policy review: the SCO summit in Qingdao tags Asia; 中非合作论坛 (China-Africa)
  // is deliberately not read as Central Africa, and 二十国集团 (G20) is no region.
  const auto review2023 = search("上合组织青岛峰会", "report-2023");
  REQUIRE(review2023.total == 1);
  CHECK(has(review2023.results[0].regions, "asia"));
  CHECK_FALSE(has(review2023.results[0].regions, "middle-africa"));
  CHECK_FALSE(has(review2023.results[0].regions, "CAF"));
  CHECK(has(review2023.results[0].topics, "un-multilateralism"));  // 多边主义, 联合国
}

TEST_CASE("phrases and NEAR never match across sentence punctuation, in any language",
          "[chinese][search][phrase]") {
  test::TempDir dir;
  test::write_file(dir / "docs" / "cross.txt",
                   "Notes\n\n我们去了很多地方。政府应当负责。\n\n中国。安全是基础！\n\n"
                   "We visited many places. Government must act; Security first.\n");
  test::write_file(dir / "docs" / "real.txt", "Notes\n\n地方政府应当负责。\n\n中国安全很重要。\n");
  IndexRunOptions options;
  options.index_dir = dir / "index";
  options.inputs = {dir / "docs"};
  REQUIRE(run_index(options).added == 2);
  IndexReader reader = IndexReader::open(IndexLocation::directory(dir / "index"));
  Searcher searcher(reader);
  const auto search = [&](const std::string& q) {
    SearchRequest r;
    r.query = q;
    r.limit = 20;
    return searcher.search(r);
  };
  for (const char* q : {"\"地方政府\"", "地方政府", "\"中国安全\"", "中国安全"}) {
    INFO(q);
    const auto r = search(q);
    REQUIRE(r.total == 1);
    CHECK(r.results[0].doc.id == "real");
  }
  // Both words are still found separately, each marked on its own.
  const auto words = search("地方 政府");
  CHECK(words.total == 2);
  for (const auto& hit : words.results) {
    if (hit.doc.id != "cross") continue;
    CHECK(hit.snippet.find("<mark>地方</mark>。<mark>政府</mark>") != std::string::npos);
  }
  // The snippet highlighter agrees with the index: no phrase mark across the full stop.
  const auto either = search("\"地方政府\" OR 负责");
  REQUIRE(either.total == 2);
  for (const auto& hit : either.results) {
    INFO(hit.snippet);
    if (hit.doc.id == "cross") {
      CHECK(hit.snippet.find("<mark>地方") == std::string::npos);
      CHECK(hit.snippet.find("<mark>负责</mark>") != std::string::npos);
    } else {
      CHECK(hit.snippet.find("<mark>地方政府</mark>") != std::string::npos);
    }
  }
  // Pasted text with a full stop, quoted or not, looks for each sentence's phrase.
  CHECK(search("很多地方。政府应当").total == 1);
  CHECK(search("很多地方。政府应当 OR 不存在的词").total == 1);
  const auto pasted = search("\"很多地方。政府应当\"");
  REQUIRE(pasted.total == 1);
  CHECK(pasted.results[0].snippet.find("<mark>很多地方</mark>。<mark>政府应当</mark>") !=
        std::string::npos);
  const auto english = search("\"many places. Government must\"");
  REQUIRE(english.total == 1);
  CHECK(english.results[0].snippet.find("<mark>many places</mark>. <mark>Government must</mark>") !=
        std::string::npos);
  // English: ". ", ";" and NEAR.
  CHECK(search("\"many places\"").total == 1);
  CHECK(search("\"places government\"").total == 0);
  CHECK(search("places NEAR/3 government").total == 0);
  CHECK(search("\"act security\"").total == 0);
  CHECK(search("visited NEAR/3 places").total == 1);
}
