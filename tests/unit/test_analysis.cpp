// The analyzer: one pipeline for index and query terms.
#include <catch2/catch.hpp>

#include "concord/analysis.hpp"
#include "concord/error.hpp"

using namespace concord;

namespace {
std::vector<std::string> terms(const Analyzer& a, std::string_view text) {
  std::vector<std::string> out;
  for (const auto& t : a.tokenize(text)) out.push_back(t.term);
  return out;
}
std::vector<std::string> stems(const Analyzer& a, std::string_view text) {
  std::vector<std::string> out;
  for (const auto& t : a.tokenize(text)) out.push_back(a.stem(t.term));
  return out;
}
}  // namespace

TEST_CASE("words are case-folded, NFKC-normalised and stripped of accents", "[unit][analysis]") {
  const Analyzer a;
  CHECK(terms(a, "Côte d'Ivoire") == std::vector<std::string>{"cote", "divoire"});
  CHECK(terms(a, "ﬁnancial ＡＳＥＡＮ") == std::vector<std::string>{"financial", "asean"});
  CHECK(terms(a, "STRASSE Straße") == std::vector<std::string>{"strasse", "strasse"});
  CHECK(terms(a, "Ελλάδα") == std::vector<std::string>{"ελλαδα"});
}

TEST_CASE("ICU word boundaries split hyphens and keep numbers and abbreviations",
          "[unit][analysis]") {
  const Analyzer a;
  CHECK(terms(a, "ASEAN-centered, \"long-arm jurisdiction\".") ==
        std::vector<std::string>{"asean", "centered", "long", "arm", "jurisdiction"});
  CHECK(terms(a, "In 2014, 5,000 places; U.S. policy") ==
        std::vector<std::string>{"in", "2014", "5000", "places", "us", "policy"});
  CHECK(terms(a, "China's role, China’s way, don't") ==
        std::vector<std::string>{"china", "role", "china", "way", "dont"});
}

TEST_CASE("Chinese is segmented into words, not characters", "[unit][analysis]") {
  const Analyzer a;
  CHECK(terms(a, "全球安全倡议") == std::vector<std::string>{"全球", "安全", "倡议"});
  const auto tokens = a.tokenize("本田公司");
  REQUIRE(!tokens.empty());
  CHECK(tokens[0].term == "本田");
  CHECK(tokens[0].ideographic);
}

TEST_CASE("offsets and positions point back into the text", "[unit][analysis]") {
  const Analyzer a;
  const std::string text = "Support the “ASEAN way” of consensus";
  const auto tokens = a.tokenize(text);
  REQUIRE(tokens.size() == 6);
  CHECK(text.substr(tokens[2].begin, tokens[2].end - tokens[2].begin) == "ASEAN");
  CHECK(tokens[2].position == 3);
  CHECK(tokens[5].position == 6);
}

TEST_CASE("sentence punctuation leaves a position gap, abbreviations do not", "[unit][analysis]") {
  const Analyzer a;
  const auto gaps = [&](std::string_view text) {
    std::vector<std::uint32_t> out;
    const auto tokens = a.tokenize(text);
    for (std::size_t i = 1; i < tokens.size(); ++i)
      out.push_back(tokens[i].position - tokens[i - 1].position);
    return out;
  };
  constexpr std::uint32_t kGap = Analyzer::kSentenceGap + 1;
  CHECK(gaps("我们去了很多地方。政府应当") == std::vector<std::uint32_t>{1, 1, 1, kGap, 1});
  CHECK(gaps("中国！安全？发展；和平．合作") == std::vector<std::uint32_t>{kGap, kGap, kGap, kGap});
  CHECK(gaps("ends here. Next one") == std::vector<std::uint32_t>{1, kGap, 1});
  CHECK(gaps("ends here.\" Next! Why? Yes; no") ==
        std::vector<std::uint32_t>{1, kGap, kGap, kGap, kGap});
  CHECK(gaps("U.S. policy, Mr. Smith and J. Doe, No. 5, 3.5 percent") ==
        std::vector<std::uint32_t>{1, 1, 1, 1, 1, 1, 1, 1, 1, 1});
  CHECK(gaps("地方.政府") == std::vector<std::uint32_t>{kGap});
}

TEST_CASE("English stemming through Snowball, same for index and query", "[unit][analysis]") {
  const Analyzer a;
  CHECK(stems(a, "security securities secure") ==
        std::vector<std::string>{"secur", "secur", "secur"});
  CHECK(stems(a, "proliferation non-proliferation") ==
        std::vector<std::string>{"prolifer", "non", "prolifer"});
  CHECK(a.stem("全球") == "全球");
  const Analyzer none("none");
  CHECK(none.stem("nations") == "nations");
}

TEST_CASE("punctuation-only and over-long words produce no terms", "[unit][analysis]") {
  const Analyzer a;
  CHECK(terms(a, "... --- !!! ").empty());
  CHECK(terms(a, std::string(100, 'x') + " ok") == std::vector<std::string>{"ok"});
  CHECK(terms(a, "").empty());
}

TEST_CASE("unknown stemming languages are refused", "[unit][analysis]") {
  CHECK_THROWS_AS(Analyzer("klingon"), Error);
}

TEST_CASE("hyphenated words are also written together, number ranges are not", "[unit][analysis]") {
  const Analyzer a;
  const std::string text =
      "Co-operation and non\u2011proliferation, state-of-the-art G-20 talks, 2019-2020, "
      "peace - keeping, end. -Begin, 中-美";
  const auto tokens = a.tokenize(text);
  const auto compounds = hyphen_compounds(text, tokens);
  std::vector<std::string> joined;
  for (const auto& c : compounds) joined.push_back(c.term);
  REQUIRE(compounds.size() == 4);
  CHECK(tokens[compounds[0].first].term == "co");
  CHECK(tokens[compounds[0].last].term == "operation");
  CHECK(compounds[2].last - compounds[2].first == 3);  // state, of, the, art
  CHECK(joined ==
        std::vector<std::string>{"cooperation", "nonproliferation", "stateoftheart", "g20"});
}
