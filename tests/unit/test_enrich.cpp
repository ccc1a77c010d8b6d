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

// Chinese: names are matched as sequences of the words ICU's dictionary breaker finds, so these
// tests use whole sentences, where the breaker may cut differently than in a bare name.
TEST_CASE("Chinese place names tag regions and roll up", "[unit][enrich][chinese]") {
  const auto au = tagger().tag_text("我们支持非洲联盟和萨赫勒地区国家维护和平稳定。", {});
  CHECK(au.regions == std::vector<std::string>{"africa", "sahel"});
  for (const char* id : {"africa", "sub-saharan-africa", "sahel", "world"})
    CHECK(has(au.region_ancestors, id));
  CHECK(au.evidence.at("region:africa") == std::vector<std::string>{"非洲联盟"});

  const auto asean = tagger().tag_text("中方愿同东盟国家加强合作。", {});
  CHECK(asean.regions == std::vector<std::string>{"CHN", "south-eastern-asia"});
  for (const char* id : {"south-eastern-asia", "asia", "eastern-asia", "world"})
    CHECK(has(asean.region_ancestors, id));

  CHECK(regions_of("上海合作组织和上合组织成员国") == std::vector<std::string>{"asia"});
  CHECK(regions_of("金砖国家领导人会晤") ==
        std::vector<std::string>{"BRA", "CHN", "IND", "RUS", "ZAF"});
  CHECK(regions_of("支持澜沧江－湄公河合作和澜湄合作机制") ==
        std::vector<std::string>{"lancang-mekong"});
  CHECK(regions_of("非洲之角、大湖地区、中东和海湾地区") ==
        std::vector<std::string>{"great-lakes", "gulf", "horn-of-africa", "middle-east"});
  CHECK(regions_of("同东南亚、南亚和中亚国家以及太平洋岛国") ==
        std::vector<std::string>{"central-asia", "pacific-islands", "south-eastern-asia",
                                 "southern-asia"});
  CHECK(regions_of("巴基斯坦、伊朗、以色列、巴勒斯坦、乌克兰、朝鲜、韩国、印度、日本和俄罗斯") ==
        std::vector<std::string>{"IND", "IRN", "ISR", "JPN", "KOR", "PAK", "PRK", "PSE", "RUS",
                                 "UKR"});
  CHECK(regions_of("欧盟、北约、非盟、阿盟、拉共体和亚信峰会") ==
        std::vector<std::string>{"africa", "arab-states", "asia", "europe",
                                 "latin-america-caribbean", "northern-america"});
  // Traditional characters, as in the early reports.
  CHECK(regions_of("臺灣、東南亞和美國") ==
        std::vector<std::string>{"TWN", "USA", "south-eastern-asia"});
  // The longest name wins, as in English.
  CHECK(regions_of("白俄罗斯和俄罗斯，南苏丹和苏丹") ==
        std::vector<std::string>{"BLR", "RUS", "SDN", "SSD"});
  CHECK(regions_of("巴布亚新几内亚、赤道几内亚和几内亚") ==
        std::vector<std::string>{"GIN", "GNQ", "PNG"});
  CHECK(regions_of("印度尼西亚和印度") == std::vector<std::string>{"IDN", "IND"});
  // Compounds of abbreviations are one word for the breaker: they have their own lines.
  CHECK(regions_of("中美关系和中俄关系") == std::vector<std::string>{"CHN", "RUS", "USA"});
  CHECK(regions_of("支持港澳发展经济") == std::vector<std::string>{"HKG", "MAC"});
  CHECK(regions_of("同亚非拉国家团结合作") ==
        std::vector<std::string>{"africa", "asia", "latin-america-caribbean"});
  // 拉美国家 is cut 拉|美国|家: its own alias keeps the United States out.
  CHECK(regions_of("中国同拉美国家的关系") ==
        std::vector<std::string>{"CHN", "latin-america-caribbean"});
  // Names resolve in filters and metadata too.
  CHECK(Gazetteer::builtin()->resolve("中国") == "CHN");
  CHECK(Gazetteer::builtin()->resolve("东南亚") == "south-eastern-asia");
}

TEST_CASE("Chinese words that contain a place name do not tag it", "[unit][enrich][chinese]") {
  CHECK(regions_of("我们向往美好生活，建设美丽中国。") == std::vector<std::string>{"CHN"});
  CHECK(regions_of("美好的未来").empty());                // 美 alone is not the United States
  CHECK(regions_of("优化东部沿海地区开放布局").empty());  // 海地 (Haiti)
  CHECK(regions_of("发展中国家的共同利益").empty());      // 中国 across 发展中|国家
  CHECK(regions_of("推进海上合作").empty());              // 上合 (SCO) across 海上|合作
  CHECK(regions_of("展现出更加蓬勃的生命力").empty());    // 加蓬 (Gabon)
  CHECK(regions_of("环渤海湾地区开放和开发").empty());    // 海湾地区 (Gulf) in 渤海湾
  CHECK(regions_of("内蒙古自治区") == std::vector<std::string>{"CHN"});  // not Mongolia
  // 中非 is both China-Africa and Central Africa: not listed (see the gazetteer). The
  // Central African Republic and Middle Africa have unambiguous names.
  CHECK(regions_of("中非合作论坛北京峰会").empty());
  CHECK(regions_of("中非共和国局势") == std::vector<std::string>{"CAF"});
  CHECK(regions_of("中部非洲国家") == std::vector<std::string>{"middle-africa"});
}

TEST_CASE("Chinese topics from the text and from section headings", "[unit][enrich][chinese]") {
  // Global Security Initiative Concept Paper style: a numbered item heading about biosecurity
  // and a paragraph under it that does not name the topic itself.
  const auto lab = tagger().tag_text("共同加强实验室能力建设，提升应对生物风险的能力。",
                                     {"四、重点合作方向", "（十四）加强生物安全风险管理。"});
  CHECK(has(lab.topics, "biosecurity"));
  CHECK(has(lab.evidence.at("topic:biosecurity"), "heading: 生物安全"));
  CHECK(has(lab.evidence.at("topic:biosecurity"), "生物风险"));

  const std::vector<std::pair<const char*, const char*>> cases{
      {"坚定维护国际核不扩散体系，推进核裁军。", "nuclear"},
      {"坚决打击恐怖主义，深化反恐合作。", "counter-terrorism"},
      {"维护网络安全和数据安全。", "cyber"},
      {"加强人工智能治理。", "ai-emerging-tech"},
      {"反对外空武器化和外空军备竞赛。", "outer-space"},
      {"加强公共卫生合作。", "public-health"},
      {"保障全球粮食安全。", "food-security"},
      {"维护能源安全。", "energy-security"},
      {"积极稳妥推进碳达峰碳中和，应对气候变化。", "climate-environment"},
      {"维护海上安全和航道安全。", "maritime"},
      {"中国积极参与联合国维和行动。", "peacekeeping"},
      {"践行真正的多边主义。", "un-multilateralism"},
      {"坚持不干涉内政原则，尊重各国主权。", "sovereignty"},
      {"反对单边制裁和长臂管辖。", "sanctions"},
      {"坚持通过对话协商和平解决分歧，支持斡旋。", "dialogue-mediation"},
      {"推动构建新型大国关系。", "major-country-relations"},
      {"确保产业链供应链稳定。", "development"},
      {"打击跨国犯罪和毒品贩运。", "transnational-crime"},
      {"深化执法合作。", "law-enforcement"},
      {"在解决地区热点问题中发挥建设性作用。", "regional-hotspots"},
      {"坚持共同、综合、合作、可持续的安全观。", "security-architecture"},
      {"推进高质量共建“一带一路”。", "trade-economy"},
  };
  for (const auto& [text, topic] : cases) {
    INFO(text);
    CHECK(has(topics_of(text), topic));
  }
  // No topic from words that merely contain a phrase, or from bare 安全 and 发展.
  CHECK_FALSE(has(topics_of("运用法治思维和法治方式"), "peacekeeping"));  // 维和 across 思维|和
  CHECK_FALSE(has(topics_of("赋予地方更大自主权"), "sovereignty"));       // 主权 in 自主权
  CHECK(topics_of("安全是发展的前提。").empty());
  CHECK(topics_of("干涉别国内政") == std::vector<std::string>{"sovereignty"});
}
