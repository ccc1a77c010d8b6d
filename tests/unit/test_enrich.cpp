// Taxonomy, gazetteer and tagging.
#include <catch2/catch.hpp>

#include <algorithm>

#include "concord/enrich.hpp"
#include "concord/error.hpp"

using namespace concord;

namespace {

Tagger& tagger() {
  static Tagger t(Taxonomy::builtin(), Gazetteer::builtin());
  return t;
}

std::vector<std::string> regions_of(const std::string& text) {
  return tagger().tag_text(text, {}).regions;
}
std::vector<std::string> topics_of(const std::string& text,
                                   const std::vector<std::string>& headings = {}) {
  return tagger().tag_text(text, headings).topics;
}
bool has(const std::vector<std::string>& list, const std::string& v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

const char* kTinyGazetteer =
    "world |  | world | World |\n"
    "africa | world | continent | Africa | African\n"
    "western-africa | africa | subregion | Western Africa | West Africa\n"
    "sahel | africa | grouping | Sahel |\n"
    "MLI | western-africa, sahel | country | Mali | Malian\n"
    "g5 | sahel | alias | G5 Sahel |\n";

}  // namespace

TEST_CASE("the built-in taxonomy has at least 25 documented topics", "[unit][enrich]") {
  const auto t = Taxonomy::builtin();
  CHECK(t->topics().size() >= 25);
  for (const auto& topic : t->topics()) {
    INFO(topic.id);
    CHECK(!topic.label.empty());
    CHECK(!topic.about.empty());
    CHECK(!topic.phrases.empty());
  }
  for (const char* id :
       {"nuclear",       "chemical-biological", "arms-control",       "counter-terrorism",
        "cyber",         "biosecurity",         "ai-emerging-tech",   "outer-space",
        "public-health", "food-security",       "energy-security",    "climate-environment",
        "maritime",      "cross-border-rivers", "peacekeeping",       "un-multilateralism",
        "sovereignty",   "sanctions",           "dialogue-mediation", "major-country-relations",
        "development",   "transnational-crime", "law-enforcement"}) {
    CHECK(t->find(id) != nullptr);
  }
  CHECK(t->resolve("Outer space") == "outer-space");
  CHECK(t->resolve("biosec") == "biosecurity");
  CHECK(t->resolve("NUCLEAR") == "nuclear");
  CHECK_FALSE(t->resolve("astrology"));
}

TEST_CASE("malformed taxonomies are reported with file and line", "[unit][enrich]") {
  CHECK_THROWS_WITH(
      Taxonomy::parse("[a]\nlabel = A\nphrases = x\n[a]\nlabel = B\nphrases = y\n", "t.ini"),
      Catch::Contains("t.ini:4: topic 'a' is defined twice"));
  CHECK_THROWS_WITH(Taxonomy::parse("label = A\n", "t.ini"), Catch::Contains("t.ini:1:"));
  CHECK_THROWS_WITH(Taxonomy::parse("[a]\nlabel = A\n", "t.ini"),
                    Catch::Contains("t.ini:1: topic 'a' has no phrases"));
  CHECK_THROWS_WITH(Taxonomy::parse("[a]\nlabel = A\ncolour = red\n", "t.ini"),
                    Catch::Contains("t.ini:3: unknown key 'colour'"));
  CHECK_THROWS_WITH(Taxonomy::parse("[Bad Id]\n", "t.ini"),
                    Catch::Contains("t.ini:1: topic id 'Bad Id'"));
  CHECK_THROWS_WITH(Taxonomy::parse("[a]\nlabel = A\nphrases = ...\n", "t.ini"),
                    Catch::Contains("t.ini:3: phrase '...' has no words"));
  CHECK_THROWS_WITH(Taxonomy::parse("# only comments\n", "t.ini"), Catch::Contains("no topics"));
}

TEST_CASE("malformed gazetteers are reported with file and line", "[unit][enrich]") {
  CHECK_NOTHROW(Gazetteer::parse(kTinyGazetteer, "g.txt"));
  CHECK_THROWS_WITH(Gazetteer::parse("world |  | world | World\n", "g.txt"),
                    Catch::Contains("g.txt:1: expected 5 fields"));
  CHECK_THROWS_WITH(
      Gazetteer::parse("world |  | world | World |\nx | nowhere | region | X |\n", "g.txt"),
      Catch::Contains("g.txt:2: 'x' has unknown parent 'nowhere'"));
  CHECK_THROWS_WITH(
      Gazetteer::parse("world |  | world | World |\na | b | region | A |\nb | a | region | B |\n",
                       "g.txt"),
      Catch::Contains("cycle"));
  CHECK_THROWS_WITH(
      Gazetteer::parse("world |  | world | World |\nworld | world | region | W |\n", "g.txt"),
      Catch::Contains("g.txt:2: id 'world' already defined on line 1"));
  CHECK_THROWS_WITH(
      Gazetteer::parse("world |  | world | World |\nx | world | planet | X |\n", "g.txt"),
      Catch::Contains("g.txt:2: unknown kind 'planet'"));
  CHECK_THROWS_WITH(Gazetteer::parse("world |  | world | World |\nau |  | alias | AU |\n", "g.txt"),
                    Catch::Contains("g.txt:2: alias 'au' maps to no region"));
}

TEST_CASE("the hierarchy rolls up through every parent", "[unit][enrich]") {
  const Gazetteer g = Gazetteer::parse(kTinyGazetteer, "g.txt");
  CHECK(g.closure("MLI") ==
        std::vector<std::string>{"MLI", "africa", "sahel", "western-africa", "world"});
  CHECK(g.path("MLI") == std::vector<std::string>{"world", "africa", "western-africa", "MLI"});
  CHECK(g.resolve("malian") == "MLI");
  CHECK(g.resolve("West Africa") == "western-africa");
  CHECK(g.resolve("G5 Sahel") == "sahel");
  CHECK_FALSE(g.resolve("Atlantis"));
}

TEST_CASE("the built-in gazetteer covers the named regions and organisations", "[unit][enrich]") {
  const auto g = Gazetteer::builtin();
  for (const char* id :
       {"africa", "sahel", "horn-of-africa", "great-lakes", "middle-east", "gulf", "central-asia",
        "lancang-mekong", "pacific-islands", "CHN", "USA", "NGA", "FJI"}) {
    CHECK(g->find(id) != nullptr);
  }
  const auto& mali = g->closure("MLI");
  CHECK(std::find(mali.begin(), mali.end(), "sahel") != mali.end());
  CHECK(std::find(mali.begin(), mali.end(), "africa") != mali.end());
  const auto& fiji = g->closure("FJI");
  CHECK(std::find(fiji.begin(), fiji.end(), "pacific-islands") != fiji.end());
  CHECK(g->resolve("Africa") == "africa");
  CHECK(g->resolve("Horn of Africa") == "horn-of-africa");
  CHECK(g->resolve("China") == "CHN");
  CHECK(g->resolve("CHN") == "CHN");
}

TEST_CASE("place names: longest match, word boundaries and case", "[unit][enrich]") {
  CHECK(regions_of("South Africa and Nigeria met Niger.") ==
        std::vector<std::string>{"NER", "NGA", "ZAF"});
  CHECK(regions_of("Papua New Guinea, Guinea-Bissau and Equatorial Guinea") ==
        std::vector<std::string>{"GNB", "GNQ", "PNG"});
  CHECK(regions_of("Let us talk turkey in Turkey") == std::vector<std::string>{"TUR"});
  CHECK(regions_of("the US and us") == std::vector<std::string>{"USA"});
  CHECK(regions_of("Support the African Union and ASEAN") ==
        std::vector<std::string>{"africa", "south-eastern-asia"});
  CHECK(regions_of("the Horn of Africa, the Sahel and the Great Lakes region") ==
        std::vector<std::string>{"great-lakes", "horn-of-africa", "sahel"});
  CHECK(regions_of("Côte d'Ivoire and Cote d’Ivoire") == std::vector<std::string>{"CIV"});
  CHECK(regions_of("Chinese President Xi Jinping") == std::vector<std::string>{"CHN"});
  CHECK(regions_of("Pacific island countries") == std::vector<std::string>{"pacific-islands"});
  CHECK(regions_of("peace and development in the world").empty());
}

TEST_CASE("regions roll up to every ancestor", "[unit][enrich]") {
  const auto tags = tagger().tag_text("Peace in Mali.", {});
  CHECK(tags.regions == std::vector<std::string>{"MLI"});
  for (const char* id :
       {"MLI", "western-africa", "sub-saharan-africa", "africa", "sahel", "world"}) {
    CHECK(has(tags.region_ancestors, id));
  }
  CHECK(tags.evidence.at("region:MLI") == std::vector<std::string>{"Mali"});
}

TEST_CASE("topics from the text and from section headings, with evidence", "[unit][enrich]") {
  CHECK(has(topics_of("Resolutely oppose the weaponization of outer space."), "outer-space"));
  CHECK(has(topics_of("Combat terrorists and all terrorist organizations."), "counter-terrorism"));
  const auto lab = tagger().tag_text(
      "Jointly strengthen laboratory capacity building.",
      {"3. Key cooperation directions", "(14) Strengthen biosecurity risk management."});
  CHECK(has(lab.topics, "biosecurity"));
  CHECK(lab.evidence.at("topic:biosecurity") == std::vector<std::string>{"heading: biosecurity"});
  CHECK_FALSE(has(topics_of("the WHO and who"), "public-health") == false);
  CHECK_FALSE(has(topics_of("who are you"), "public-health"));
  CHECK(topics_of("Security issues concern the well-being of people.").empty());
}
