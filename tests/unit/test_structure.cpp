// Structure detection: the seed paper exactly, and each numbering style on small texts.
#include <catch2/catch.hpp>

#include "concord/ingest.hpp"
#include "test_support.hpp"

using namespace concord;

namespace {

Paper parse(const std::string& text, TextFormat format = TextFormat::kPlain) {
  return parse_text(text, format);
}

std::vector<std::string> headings(const Paper& p) {
  std::vector<std::string> out;
  for (const auto& s : p.sections) out.push_back(s.number + " " + s.heading);
  return out;
}

std::size_t children_of(const Paper& p, int parent) {
  std::size_t n = 0;
  for (const auto& s : p.sections) n += s.parent == parent ? 1 : 0;
  return n;
}

}  // namespace

TEST_CASE("the seed paper: 4 sections with 6, 20 and 5 items", "[unit][structure][seed]") {
  const Paper p = read_paper(test::seed_paper());
  std::vector<int> top;
  for (std::size_t i = 0; i < p.sections.size(); ++i) {
    if (p.sections[i].parent == -1) top.push_back(static_cast<int>(i));
  }
  REQUIRE(top.size() == 4);
  CHECK(p.sections[static_cast<std::size_t>(top[0])].heading == "1. Background");
  CHECK(p.sections[static_cast<std::size_t>(top[1])].heading == "2. Core Ideas and Principles");
  CHECK(p.sections[static_cast<std::size_t>(top[2])].heading == "3. Key cooperation directions");
  CHECK(p.sections[static_cast<std::size_t>(top[3])].heading ==
        "4. Cooperation Platform and Mechanism");
  CHECK(children_of(p, top[0]) == 0);
  CHECK(children_of(p, top[1]) == 6);
  CHECK(children_of(p, top[2]) == 20);
  CHECK(children_of(p, top[3]) == 5);
  CHECK(p.sections.size() == 35);
  for (const auto& s : p.sections) CHECK(s.level == (s.parent == -1 ? 1 : 2));
  CHECK(p.paragraphs.size() == 114);
}

TEST_CASE("seed paragraphs carry section paths, numbers, ordinals and offsets",
          "[unit][structure][seed]") {
  const Paper p = read_paper(test::seed_paper());
  const std::string source = test::read_file(test::seed_paper());
  for (std::size_t i = 0; i < p.paragraphs.size(); ++i) {
    const Paragraph& para = p.paragraphs[i];
    CHECK(para.ordinal == i + 1);
    REQUIRE(para.end > para.begin);
    REQUIRE(para.end <= source.size());
    // The entry's text is the source span (lines are never joined in this paper).
    CHECK(source.substr(para.begin, para.end - para.begin) == para.text);
  }
  const Paragraph& first = p.paragraphs[0];
  CHECK(first.section_path == std::vector<std::string>{"1. Background"});
  CHECK(first.section_number == "1");
  CHECK(first.text.rfind("Security issues concern the well-being", 0) == 0);

  // Item (6) of section 3 is a paragraph of content under its own heading.
  const Paragraph& asean = p.paragraphs[64];
  CHECK(asean.is_heading);
  CHECK(asean.section_number == "3.6");
  REQUIRE(asean.section_path.size() == 2);
  CHECK(asean.section_path[0] == "3. Key cooperation directions");
  CHECK(asean.section_path[1].rfind("(6) Support and improve the ASEAN-centered regional security",
                                    0) == 0);
  CHECK(asean.text == asean.section_path[1]);
  const Paragraph& mekong = p.paragraphs[65];
  CHECK(!mekong.is_heading);
  CHECK(mekong.section_number == "3.6");
  CHECK(
      mekong.text.rfind(
          "Support the promotion of non-traditional security cooperation under the Lancang-Mekong",
          0) == 0);

  // (14) is short but a sentence: an entry; "3." alone is a title: not an entry.
  const Paragraph& bio = p.paragraphs[84];
  CHECK(bio.text == "(14) Strengthen biosecurity risk management.");
  CHECK(bio.section_number == "3.14");
  for (const auto& para : p.paragraphs) CHECK(para.text != "3. Key cooperation directions");

  const Paragraph& last = p.paragraphs.back();
  CHECK(last.section_number == "4.5");
  CHECK(last.text.rfind("China is willing to work hand in hand", 0) == 0);
}

TEST_CASE("seed metadata: sidecar wins, dateline fills the place", "[unit][structure][seed]") {
  const Paper p = read_paper(test::seed_paper());
  CHECK(p.meta.id == "gsi-concept-paper");
  CHECK(p.meta.title == "The Global Security Initiative Concept Paper");
  CHECK(p.meta.date == "2023-02-21");
  CHECK(p.meta.year() == 2023);
  CHECK(p.meta.language == "en");
  CHECK(p.meta.country == "China");
  CHECK(p.meta.type == "concept paper");
  CHECK(p.meta.place == "Beijing");
  CHECK(p.meta.issuer == "Ministry of Foreign Affairs of the People's Republic of China");
}

TEST_CASE("without a sidecar, the dateline and title line give metadata", "[unit][structure]") {
  const Paper p = parse(
      "Xinhua News Agency, Beijing, February 21st\n\nGlobal Security Initiative Concept Paper\n\n"
      "1. Background\n\nSecurity issues concern everyone.\n");
  CHECK(p.meta.issuer == "Xinhua News Agency");
  CHECK(p.meta.place == "Beijing");
  CHECK(p.meta.date == "--02-21");
  CHECK(p.meta.title == "Global Security Initiative Concept Paper");
  REQUIRE(p.paragraphs.size() == 1);
  CHECK(p.paragraphs[0].section_path == std::vector<std::string>{"1. Background"});
}

TEST_CASE("each numbering style opens sections", "[unit][structure]") {
  struct Row {
    const char* name;
    std::string text;
    std::vector<std::string> expected;  // "number heading" per section
  };
  const std::vector<Row> rows = {
      {"decimal and dotted",
       "1. Scope\n\nText one.\n\n1.1 Terms\n\nText two.\n\n1.2 Goals\n\nText three.\n\n2. "
       "Methods\n\nText four.\n",
       {"1 1. Scope", "1.1 1.1 Terms", "1.2 1.2 Goals", "2 2. Methods"}},
      {"parenthesised numbers and letters",
       "1. Aims\n\n(1) First aim.\n\n(a) A detail of it.\n\n(b) Another detail.\n\n(2) Second "
       "aim.\n\n2. Means\n\n(1) Only means.\n",
       {"1 1. Aims", "1.1 (1) First aim.", "1.1.a (a) A detail of it.", "1.1.b (b) Another detail.",
        "1.2 (2) Second aim.", "2 2. Means", "2.1 (1) Only means."}},
      {"roman numerals",
       "I. Introduction\n\nSome text.\n\nII. Threats\n\nMore text.\n\nIII. Response\n\nEnd.\n",
       {"1 I. Introduction", "2 II. Threats", "3 III. Response"}},
      {"articles and sections",
       "Article 1\n\nThe parties agree.\n\nArticle 2\n\nThey cooperate.\n\nSection 1\n\nDetail.\n",
       {"1 Article 1", "2 Article 2", "2.1 Section 1"}},
      {"Chinese numbering",
       "一、总体要求\n\n正文一。\n\n（一）坚持共同安全。\n\n正文二。\n\n（二）坚持综合安全。\n\n二"
       "、重点合作方向\n\n正文三。\n",
       {"1 一、总体要求", "1.1 （一）坚持共同安全。", "1.2 （二）坚持综合安全。",
        "2 二、重点合作方向"}},
      {"Chinese chapters",
       "第一章 总则\n\n第一条 为了维护国家安全，制定本法。\n\n第二条 "
       "国家安全是指国家政权安全。\n\n第二章 职责\n\n正文。\n",
       {"1 第一章 总则", "1.1 第一条 为了维护国家安全，制定本法。",
        "1.2 第二条 国家安全是指国家政权安全。", "2 第二章 职责"}},
  };
  for (const auto& row : rows) {
    SECTION(row.name) {
      const Paper p = parse(row.text);
      CHECK(headings(p) == row.expected);
    }
  }
}

TEST_CASE("letter items continue through i, v and x", "[unit][structure]") {
  std::string text;
  for (char c = 'a'; c <= 'k'; ++c) text += std::string("(") + c + ") Item " + c + ".\n\n";
  const Paper p = parse(text);
  REQUIRE(p.sections.size() == 11);
  CHECK(p.sections[8].heading == "(i) Item i.");
  CHECK(p.sections[8].number == "i");
  CHECK(p.sections[8].parent == -1);
}

TEST_CASE("Markdown headings nest by level and the lone top heading is the title",
          "[unit][structure]") {
  const Paper p = parse(
      "# A Strategy\n\n## 1. Context\n\nThe context.\n\n### Risks\n\nThe risks.\n\n## 2. Plan\n\n"
      "- first step\n- second step\n\nClosing **bold** text with a [link](http://x.org).\n",
      TextFormat::kMarkdown);
  CHECK(p.meta.title == "A Strategy");
  CHECK(headings(p) == std::vector<std::string>{"1 1. Context", "1.1 Risks", "2 2. Plan"});
  REQUIRE(p.paragraphs.size() == 5);
  CHECK(p.paragraphs[1].section_path == std::vector<std::string>{"1. Context", "Risks"});
  CHECK(p.paragraphs[2].text == "first step");
  CHECK(p.paragraphs[4].text == "Closing bold text with a link.");
}

TEST_CASE("numbers that break their sequence are text, not headings", "[unit][structure]") {
  const Paper p = parse(
      "1. Background\n\nText.\n\n1945. The year the UN was founded is remembered.\n\n"
      "(3) A stray item number.\n\n2. Next\n\nMore.\n");
  CHECK(headings(p) == std::vector<std::string>{"1 1. Background", "2 2. Next"});
  CHECK(p.paragraphs.size() == 4);
}

TEST_CASE("hard-wrapped text is rebuilt into paragraphs", "[unit][structure]") {
  const std::string text =
      "The General Assembly meets at a time of great uncertainty for the international\n"
      "community, and the challenges before us require collective answers from all\n"
      "Member States.\n"
      "We must act now. The second paragraph begins here and it continues on the next\n"
      "line with more words until the wrapped paragraph comes to its natural end at\n"
      "last.\n"
      "\n"
      "A third paragraph follows a blank line and it too has been wrapped at about the\n"
      "same width as the others in this statement.\n";
  const Paper p = parse(text);
  REQUIRE(p.paragraphs.size() == 3);
  CHECK(p.paragraphs[0].text.rfind("The General Assembly", 0) == 0);
  CHECK(p.paragraphs[0].text.find("international community") != std::string::npos);
  CHECK(p.paragraphs[1].text.rfind("We must act now.", 0) == 0);
  CHECK(p.paragraphs[2].text.find("about the same width") != std::string::npos);
}

TEST_CASE("one paragraph per line without blank lines", "[unit][structure]") {
  const Paper p = parse(
      "Mr. President,\nIt is a great honour to take the floor in this majestic Hall of "
      "multilateral "
      "diplomacy on behalf of my country, and to congratulate you on your election.\nThe world "
      "faces persistent and cyclical challenges, exacerbated in recent years by the pandemic and "
      "by "
      "the impacts of climate change on every region.\nI thank you.\n");
  REQUIRE(p.paragraphs.size() == 4);
  CHECK(p.paragraphs[0].text == "Mr. President,");
  CHECK(p.sections.empty());
}

TEST_CASE("over-long paragraphs are split into entries of bounded size", "[unit][structure]") {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "This sentence is part of a single enormous paragraph. ";
  IngestOptions options;
  options.max_paragraph_bytes = 4096;
  const Paper p = parse_text(text, TextFormat::kPlain, {}, options);
  CHECK(p.paragraphs.size() > 60);
  std::size_t total = 0;
  for (const auto& para : p.paragraphs) {
    CHECK(para.text.size() <= 4096);
    total += para.text.size() + 1;
  }
  CHECK(total >= text.size() - 16);
}

TEST_CASE("offsets point into the source bytes even when decoding changed them",
          "[unit][structure][offsets]") {
  // Each source: a first paragraph, then "Second paragraph here." whose bytes must be found
  // at [begin, end) of the second entry, whatever the decoding did before it.
  struct Case {
    const char* name;
    std::string bytes;
    std::string second;  // the second paragraph as bytes of the source
  };
  using namespace std::string_literals;
  const auto utf16le = [](std::string_view ascii) {
    std::string out;
    for (const char c : ascii) {
      out.push_back(c);
      out.push_back('\0');
    }
    return out;
  };
  const std::vector<Case> cases = {
      {"invalid UTF-8", "Bad \xFF\xFE\xFD bytes and a NUL\0 here.\n\nSecond paragraph here.\n"s,
       "Second paragraph here."},
      {"BOM",
       "\xEF\xBB\xBF"
       "Caf\xC3\xA9 first.\n\nSecond paragraph here.\n",
       "Second paragraph here."},
      {"Windows-1252", "Caf\xE9 na\xEFve r\xE9sum\xE9 first.\n\nSecond paragraph here.\n",
       "Second paragraph here."},
      {"UTF-16LE", "\xFF\xFE" + utf16le("First one.\n\nSecond paragraph here.\n"),
       utf16le("Second paragraph here.")},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    const std::string bytes(c.bytes.data(), c.bytes.size());
    const Paper paper = parse_text(bytes, TextFormat::kPlain);
    REQUIRE(paper.paragraphs.size() == 2);
    const auto& p = paper.paragraphs[1];
    CHECK(p.text == "Second paragraph here.");
    REQUIRE(p.end <= bytes.size());
    CHECK(bytes.substr(p.begin, p.end - p.begin) == c.second);
  }
}

TEST_CASE("numbered items of hard-wrapped text start sections without blank lines",
          "[unit][structure]") {
  // A resolution's operative paragraphs, wrapped at about 80 characters, run on without a
  // blank line between them; each number continues the sequence after a sentence end.
  const std::string text =
      "The General Assembly, recalling its earlier resolutions on the question and the\n"
      "reports of the Secretary-General on their implementation in the past year,\n"
      "1. Decides to convene a high-level meeting on nuclear disarmament in the course\n"
      "of its next session, and requests the President of the Assembly to organise it;\n"
      "2. Requests the Secretary-General to submit a report on the implementation of the\n"
      "present resolution to the General Assembly at its next session, with proposals.\n"
      "3. Decides to include in the provisional agenda of its next session an item on\n"
      "the follow-up to the high-level meeting on nuclear disarmament and its results.\n";
  const Paper p = parse(text);
  REQUIRE(p.sections.size() == 3);
  CHECK(p.sections[0].number == "1");
  CHECK(p.sections[2].number == "3");
  REQUIRE(p.paragraphs.size() == 4);
  CHECK(p.paragraphs[0].text.rfind("The General Assembly", 0) == 0);
  CHECK(p.paragraphs[1].text.rfind("1. Decides to convene", 0) == 0);
  CHECK(p.paragraphs[1].text.find("organise it;") != std::string::npos);
  CHECK(p.paragraphs[2].text.rfind("2. Requests", 0) == 0);
  CHECK(p.paragraphs[3].text.rfind("3. Decides to include", 0) == 0);
  // A number that does not continue the sequence stays inside its paragraph.
  const Paper q = parse(
      "The Council met on the matter again this year and adopted, after a long debate,\n"
      "the text now before the Assembly for its consideration and for decision.\n"
      "7. The figure above this line is not an item of any list in this statement and\n"
      "it should stay where it is, inside the paragraph that it belongs to today.\n");
  CHECK(q.sections.empty());
}

TEST_CASE("a salutation on the first line is text, not the title", "[unit][structure]") {
  for (const std::string first : {"Mr. President of the 79th Session of the General Assembly",
                                  "Your Excellency the President of the General Assembly",
                                  "Excellencies, distinguished delegates", "Mdm President"}) {
    INFO(first);
    const Paper p = parse(first + "\n\nIt is an honour to address this Assembly today.\n");
    CHECK(p.meta.title.empty());
    REQUIRE(p.paragraphs.size() == 2);
    CHECK(p.paragraphs[0].text == first);
  }
  // A real title line still is one.
  const Paper titled = parse("Global Security Initiative Concept Paper\n\nPeace matters.\n");
  CHECK(titled.meta.title == "Global Security Initiative Concept Paper");
  CHECK(titled.paragraphs.size() == 1);
}

TEST_CASE("a Markdown ordered list is paragraphs under its heading, not sections",
          "[unit][structure]") {
  const Paper p = parse(
      "# Plan\n\n## Steps\n\nSteps to take:\n\n1. Build the index.\n2. Run the tests\n   and "
      "read them.\n3) Ship it.\n\nDone.\n",
      TextFormat::kMarkdown);
  REQUIRE(p.sections.size() == 1);
  CHECK(p.sections[0].heading == "Steps");
  REQUIRE(p.paragraphs.size() == 5);
  CHECK(p.paragraphs[1].text == "1. Build the index.");
  CHECK(p.paragraphs[2].text == "2. Run the tests and read them.");
  CHECK(p.paragraphs[3].text == "3) Ship it.");
  CHECK(p.paragraphs[4].text == "Done.");
  for (const auto& para : p.paragraphs) CHECK(para.section == 0);
}
