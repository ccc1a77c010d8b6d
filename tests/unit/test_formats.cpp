// HTML, PDF and DOCX papers, and the bad inputs of each format.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>

#include "concord/error.hpp"
#include "concord/index.hpp"
#include "concord/indexer.hpp"
#include "concord/ingest.hpp"
#include "concord/search.hpp"
#include "fixtures.hpp"
#include "test_support.hpp"

using namespace concord;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> headings(const Paper& p) {
  std::vector<std::string> out;
  for (const auto& s : p.sections) out.push_back(s.number + " " + s.heading);
  return out;
}

const Paragraph* find_text(const Paper& p, const std::string& needle) {
  for (const auto& para : p.paragraphs) {
    if (para.text.find(needle) != std::string::npos) return &para;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("HTML: headings and numbered paragraphs become sections, chrome is dropped",
          "[formats][html]") {
  test::TempDir dir;
  test::write_file(dir / "page.html", R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Maritime Strategy 2030</title>
<meta name="author" content="Ministry of Oceans"><meta name="date" content="2022-11-04">
<style>p { color: red }</style><script>var hidden = "script text";</script></head>
<body><nav><a href="/">Home</a> | <a href="/news">News</a></nav>
<h1>Maritime Strategy 2030</h1>
<h2>1. Context</h2><p>Seas carry most trade &amp; most data cables.</p>
<h2>2. Priorities</h2>
<p>(1) Protect sea lanes against piracy.</p><p>Navies will cooperate.</p>
<p>(2) Keep the oceans clean.</p>
<ul><li>Fewer plastics</li><li>Cleaner ports</li></ul>
<table><tr><th>Region</th><th>Budget</th></tr><tr><td>Gulf of Guinea</td><td>12</td></tr></table>
<footer>Copyright and cookie notice</footer></body></html>)");
  const Paper p = read_paper(dir / "page.html");
  CHECK(p.format == "html");
  CHECK(p.meta.title == "Maritime Strategy 2030");
  CHECK(p.meta.issuer == "Ministry of Oceans");
  CHECK(p.meta.date == "2022-11-04");
  CHECK(p.meta.language == "en");
  CHECK(headings(p) == std::vector<std::string>{"1 1. Context", "2 2. Priorities",
                                                "2.1 (1) Protect sea lanes against piracy.",
                                                "2.2 (2) Keep the oceans clean."});
  REQUIRE(find_text(p, "Navies will cooperate.") != nullptr);
  CHECK(find_text(p, "Navies will cooperate.")->section_number == "2.1");
  CHECK(find_text(p, "Seas carry most trade & most data cables.") != nullptr);
  CHECK(find_text(p, "Fewer plastics") != nullptr);
  CHECK(find_text(p, "Gulf of Guinea | 12") != nullptr);
  for (const char* gone : {"script text", "color: red", "Home", "cookie"})
    CHECK(find_text(p, gone) == nullptr);
}

TEST_CASE("HTML in a legacy charset is decoded as declared", "[formats][html]") {
  test::TempDir dir;
  test::write_file(
      dir / "legacy.htm",
      "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">"
      "<title>Caf\xE9 diplomacy</title></head><body><p>Talks in C\xF4te d'Ivoire \x96 a "
      "\x93new\x94 start.</p></body></html>");
  const Paper p = read_paper(dir / "legacy.htm");
  CHECK(p.meta.title == "Café diplomacy");
  REQUIRE(p.paragraphs.size() == 1);
  CHECK(p.paragraphs[0].text == "Talks in Côte d'Ivoire – a “new” start.");
}

TEST_CASE("HTML: hidden elements are dropped whatever the attribute's value", "[formats][html]") {
  test::TempDir dir;
  test::write_file(dir / "hidden.html",
                   "<html><body><p>Visible text stays.</p><div hidden>Boolean hidden div.</div>"
                   "<div hidden=\"\">Empty hidden div.</div><p hidden=\"until-found\">Until found."
                   "</p><span aria-hidden=\"true\">Icon label.</span>"
                   "<p aria-hidden=\"false\">Shown to all.</p></body></html>");
  const Paper p = read_paper(dir / "hidden.html");
  CHECK(find_text(p, "Visible text stays.") != nullptr);
  CHECK(find_text(p, "Shown to all.") != nullptr);
  for (const char* gone : {"Boolean hidden", "Empty hidden", "Until found", "Icon label"}) {
    INFO(gone);
    CHECK(find_text(p, gone) == nullptr);
  }
}

TEST_CASE("HTML charset: only meta tags declare it, undeclared legacy CJK is detected",
          "[formats][html][charset]") {
  test::TempDir dir;
  // UTF-8 text that talks about charsets does not declare one.
  test::write_file(dir / "talk.html",
                   "<html><head><title>Encodings</title></head><body><p>Servers sent "
                   "charset=latin1 headers.</p><p>Naïve café.</p></body></html>");
  const Paper talk = read_paper(dir / "talk.html");
  CHECK(find_text(talk, "Naïve café.") != nullptr);
  CHECK(talk.warnings.empty());
  // GBK with <meta charset>, Shift_JIS with <meta http-equiv>.
  test::write_file(dir / "gbk.html",
                   "<html><head><meta charset=\"gbk\"><title>\xD5\xFE\xB8\xAE</title></head><body>"
                   "<p>\xD5\xFE\xB8\xAE\xD3\xA6\xB5\xB1\xB8\xBA\xD4\xF0\xA1\xA3</p></body></html>");
  const Paper gbk = read_paper(dir / "gbk.html");
  CHECK(gbk.meta.title == "政府");
  CHECK(find_text(gbk, "政府应当负责。") != nullptr);
  test::write_file(dir / "sjis.html",
                   "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; "
                   "charset=Shift_JIS\"></head><body><p>\x93\xFA\x96{\x82\xCC\x88\xC0\x91S\x95\xDB"
                   "\x8F\xE1\x90\xAD\x8D\xF4</p></body></html>");
  const Paper sjis = read_paper(dir / "sjis.html");
  CHECK(find_text(sjis, "日本の安全保障政策") != nullptr);
  // GBK without any declaration: ICU's detector, not U+FFFD.
  test::write_file(
      dir / "undeclared.html",
      "<html><body><p>\xC8\xAB\xC7\xF2\xB0\xB2\xC8\xAB\xB3\xAB\xD2\xE9\xCA\xC7\xD6\xD0\xB9\xFA"
      "\xCC\xE1\xB3\xF6\xB5\xC4\xD6\xD8\xD2\xAA\xB3\xAB\xD2\xE9\xA1\xA3\xB8\xF7\xB9\xFA\xD3\xA6"
      "\xB5\xB1\xB9\xB2\xCD\xAC\xCE\xAC\xBB\xA4\xB5\xD8\xC7\xF8\xBA\xCD\xC6\xBD\xD3\xEB\xB0\xB2"
      "\xC8\xAB\xA3\xAC\xBC\xE1\xB3\xD6\xB6\xD4\xBB\xB0\xD0\xAD\xC9\xCC\xA3\xAC\xB7\xB4\xB6\xD4"
      "\xB5\xA5\xB1\xDF\xD6\xF7\xD2\xE5\xA1\xA3</p><p>\xD5\xFE\xB8\xAE\xD3\xA6\xB5\xB1\xB8\xBA"
      "\xD4\xF0\xCD\xC6\xB6\xAF\xBE\xAD\xBC\xC3\xB7\xA2\xD5\xB9\xBA\xCD\xC9\xE7\xBB\xE1\xBD\xF8"
      "\xB2\xBD\xA3\xAC\xBC\xD3\xC7\xBF\xB9\xFA\xBC\xCA\xBA\xCF\xD7\xF7\xA1\xA3</p></body></html>");
  const Paper undeclared = read_paper(dir / "undeclared.html");
  CHECK(find_text(undeclared, "全球安全倡议是中国提出的重要倡议。") != nullptr);
  CHECK(find_text(undeclared, "政府应当负责推动经济发展") != nullptr);
  CHECK(find_text(undeclared, "\xEF\xBF\xBD") == nullptr);
  CHECK(undeclared.meta.language == "zh");
  REQUIRE(!undeclared.warnings.empty());
  CHECK_THAT(undeclared.warnings[0], Catch::Contains("detected GB18030"));
}

TEST_CASE("a .txt or .md file whose content is HTML is read as HTML, with a warning",
          "[formats][html][bad-input]") {
  test::TempDir dir;
  const std::string page =
      "<!DOCTYPE html>\n<html><head><title>Batch two</title><script>var secret = \"script "
      "text\";</script></head><body><h2>1. Scope</h2><p>Ports need investment.</p></body></html>";
  for (const char* name : {"batch2.txt", "batch2.md"}) {
    INFO(name);
    test::write_file(dir / name, page);
    const Paper p = read_paper(dir / name);
    CHECK(p.format == "html");
    CHECK(p.meta.title == "Batch two");
    CHECK(find_text(p, "Ports need investment.") != nullptr);
    CHECK(find_text(p, "script") == nullptr);
    CHECK(find_text(p, "<") == nullptr);
    REQUIRE(p.warnings.size() == 1);
    CHECK_THAT(p.warnings[0], Catch::Contains("content is HTML; read as HTML"));
  }
}

TEST_CASE("PDF: paragraphs rebuilt across lines and pages, headers and page numbers dropped",
          "[formats][pdf]") {
  test::TempDir dir;
  const auto page = [](int number, std::vector<test::PdfLine> body) {
    std::vector<test::PdfLine> lines{{760, "National Strategy Paper"}};
    for (auto& l : body) lines.push_back(l);
    lines.push_back({40, std::to_string(number)});
    return lines;
  };
  const std::string pdf = test::make_pdf(
      {page(1,
            {{700, "1. Introduction", 14},
             {670, "Security cooperation among neighbours has grown stronger in recent years and"},
             {656, "now covers maritime patrols, joint exercises and the exchange of information."},
             {630,
              "The second paragraph explains the strategy in more detail and mentions the inter-"},
             {616, "national community as well as the Sahel and non-"},
             {602, "traditional threats that cross borders, which will be discussed"}}),
       page(2, {{700, "at length in the chapters that follow."},
                {674, "2. Priorities", 14},
                {646, "The first priority is the protection of critical infrastructure."}}),
       page(3, {{700, "A non-traditional approach is needed, not a traditional one."}})},
      "National Strategy Paper");
  test::write_file(dir / "strategy.pdf", pdf);
  const Paper p = read_paper(dir / "strategy.pdf");
  CHECK(p.format == "pdf");
  CHECK(p.meta.title == "National Strategy Paper");
  CHECK(p.meta.date == "2022-03-15");
  CHECK(headings(p) == std::vector<std::string>{"1 1. Introduction", "2 2. Priorities"});
  const Paragraph* second = find_text(p, "The second paragraph");
  REQUIRE(second != nullptr);
  // Hyphenation undone ("inter-" "national"), compounds kept ("non-" "traditional"), the
  // paragraph joined across the page break, without the running header or page number.
  CHECK(second->text ==
        "The second paragraph explains the strategy in more detail and mentions the international "
        "community as "
        "well as the Sahel and non-traditional threats that cross borders, which will be discussed "
        "at length in "
        "the chapters that follow.");
  CHECK(second->page == 1);
  const Paragraph* priority = find_text(p, "The first priority");
  REQUIRE(priority != nullptr);
  CHECK(priority->page == 2);
  CHECK(priority->section_number == "2");
  CHECK(find_text(p, "National Strategy Paper") == nullptr);
  for (const auto& para : p.paragraphs) CHECK(para.text != "2");
}

TEST_CASE("PDF: a sentence that runs on to the next page joins, even in sparse text",
          "[formats][pdf]") {
  test::TempDir dir;
  // Few lines of uneven length per page: not hard-wrapped text, so only the page break joins.
  const std::string pdf = test::make_pdf(
      {{{700, "1. Scope", 14},
        {670, "Short opening line."},
        {640, "This paper sets out the rules about vessels that"}},
       {{700, "enter the exclusive economic zone without notice."},
        {670, "Coast guards will board them."}},
       {{700, "Patrols will increase in the coming years, as agreed by all members."}},
       {{700, "Fishing fleets are not affected."}}});
  test::write_file(dir / "sparse.pdf", pdf);
  const Paper p = read_paper(dir / "sparse.pdf");
  const Paragraph* joined = find_text(p, "about vessels that");
  REQUIRE(joined != nullptr);
  CHECK(joined->text ==
        "This paper sets out the rules about vessels that enter the exclusive economic zone "
        "without notice.");
  CHECK(joined->page == 1);
  const Paragraph* board = find_text(p, "Coast guards will board them.");
  REQUIRE(board != nullptr);
  CHECK(board->page == 2);
  // A page that ends a sentence does not run on into the next page's first paragraph.
  const Paragraph* fleets = find_text(p, "Fishing fleets are not affected.");
  REQUIRE(fleets != nullptr);
  CHECK(fleets->text == "Fishing fleets are not affected.");
  CHECK(fleets->page == 4);
}

TEST_CASE("PDF bad input: corrupt, scanned, encrypted, misnamed", "[formats][pdf][bad-input]") {
  test::TempDir dir;
  test::write_file(dir / "corrupt.pdf", "%PDF-1.4\nthis is not really a PDF\n%%EOF\n");
  CHECK_THROWS_WITH(read_paper(dir / "corrupt.pdf"),
                    Catch::Contains("corrupt PDF") || Catch::Contains("without a text layer"));
  test::write_file(dir / "scan.pdf", test::make_pdf({{}, {}}, "", true));
  CHECK_THROWS_WITH(read_paper(dir / "scan.pdf"), Catch::Contains("without a text layer"));
  test::write_file(dir / "text.pdf", "Plain text pretending to be a PDF.\n");
  CHECK_THROWS_WITH(read_paper(dir / "text.pdf"),
                    Catch::Contains("named .pdf but its content is text"));
  test::write_file(dir / "real.txt", test::make_pdf({{{700, "Hello"}}}));
  CHECK_THROWS_WITH(read_paper(dir / "real.txt"),
                    Catch::Contains("named .txt but its content is pdf"));
  // Encryption through qpdf, when it is installed (tools/setup.sh --with-tests installs it).
  test::write_file(dir / "plain.pdf",
                   test::make_pdf({{{700, "Confidential strategy text for the test."}}}));
  const auto qpdf = test::run({"/usr/bin/qpdf", "--encrypt", "user-pass", "owner-pass", "256", "--",
                               (dir / "plain.pdf").string(), (dir / "locked.pdf").string()});
  if (qpdf.exit_code == 0) {
    CHECK_THROWS_WITH(read_paper(dir / "locked.pdf"), Catch::Contains("encrypted PDF"));
  } else {
    WARN("qpdf is not installed: the encrypted-PDF case was not run");
  }
}

TEST_CASE("DOCX: heading styles, numbered lists, tables and core properties", "[formats][docx]") {
  test::TempDir dir;
  test::write_file(dir / "white-paper.docx",
                   test::make_docx({{"Title", "Cooperation on Rivers"},
                                    {"Heading1", "Background"},
                                    {"", "Rivers connect upstream and downstream countries."},
                                    {"Heading1", "Proposals"},
                                    {"Heading2", "Water data"},
                                    {"ListNumber", "Share hydrological data every season."},
                                    {"ListNumber", "Build joint flood warning systems."},
                                    {"", "Both are voluntary."}},
                                   "Cooperation on Rivers (core)", "Water Commission"));
  const Paper p = read_paper(dir / "white-paper.docx");
  CHECK(p.format == "docx");
  CHECK(p.meta.title == "Cooperation on Rivers (core)");
  CHECK(p.meta.issuer == "Water Commission");
  CHECK(p.meta.date == "2021-06-30");
  CHECK(headings(p) == std::vector<std::string>{"1 Background", "2 Proposals", "2.1 Water data",
                                                "2.1.1 (1) Share hydrological data every season.",
                                                "2.1.2 (2) Build joint flood warning systems."});
  const Paragraph* last = find_text(p, "Both are voluntary.");
  REQUIRE(last != nullptr);
  CHECK(last->section_path.back() == "(2) Build joint flood warning systems.");
}

TEST_CASE("DOCX: nested list numbers restart, w:start is honoured, basedOn headings count",
          "[formats][docx]") {
  test::TempDir dir;
  test::write_file(dir / "rivers.docx",
                   test::make_docx({{"ChapterTitle", "Proposals"},
                                    {"ListNumber", "Share hydrological data."},
                                    {"ListNumber2", "Gauges on rivers."},
                                    {"ListNumber2", "Satellite data."},
                                    {"ListNumber", "Build flood warning systems."},
                                    {"ListNumber2", "Sirens in villages."},
                                    {"ListNumber2", "Text messages."},
                                    {"SubChapter", "Funding"},
                                    {"ListFrom5", "Fifth item of a list that starts at five."},
                                    {"ListFrom5", "Sixth item of that list."}}));
  const Paper p = read_paper(dir / "rivers.docx");
  // Every line as the reader restored it, headings and paragraphs alike.
  std::vector<std::string> lines;
  for (const auto& s : p.sections) lines.push_back(s.heading);
  for (const auto& para : p.paragraphs) lines.push_back(para.text);
  const auto has = [&](const std::string& line) {
    return std::find(lines.begin(), lines.end(), line) != lines.end();
  };
  std::string all;
  for (const auto& line : lines) all += line + "\n";
  INFO(all);
  CHECK(has("(a) Gauges on rivers."));
  CHECK(has("(b) Satellite data."));
  CHECK(has("(2) Build flood warning systems."));
  CHECK(has("(a) Sirens in villages."));
  CHECK(has("(b) Text messages."));
  CHECK(has("5. Fifth item of a list that starts at five."));
  CHECK(has("6. Sixth item of that list."));
  for (const auto& line : lines) CHECK(line.rfind("(c)", 0) != 0);
  // Custom styles based on Heading 1 and (through another style) Heading 2.
  REQUIRE(!p.sections.empty());
  CHECK(p.sections[0].heading == "Proposals");
  CHECK(p.sections[0].level == 1);
  const auto funding = std::find_if(p.sections.begin(), p.sections.end(),
                                    [](const Section& s) { return s.heading == "Funding"; });
  REQUIRE(funding != p.sections.end());
  CHECK(funding->level == 2);
  CHECK(funding->number.rfind("1.", 0) == 0);
}

TEST_CASE("DOCX bad input: not a zip, a zip bomb, a zip without a document",
          "[formats][docx][bad-input]") {
  test::TempDir dir;
  test::write_file(dir / "fake.docx", "This is plain text with a .docx name.");
  CHECK_THROWS_WITH(read_paper(dir / "fake.docx"),
                    Catch::Contains("named .docx but its content is text"));
  test::write_file(dir / "bomb.docx", test::make_zip_bomb("word/document.xml", 100u << 20));
  CHECK(fs::file_size(dir / "bomb.docx") < (1u << 20));
  CHECK_THROWS_WITH(read_paper(dir / "bomb.docx"), Catch::Contains("zip bomb"));
  test::write_file(dir / "other.docx", test::make_zip_bomb("readme.txt", 10));
  CHECK_THROWS_WITH(read_paper(dir / "other.docx"), Catch::Contains("no word/document.xml"));
  std::string truncated = test::make_docx({{"", "Some text."}});
  truncated.resize(truncated.size() / 2);
  test::write_file(dir / "truncated.docx", truncated);
  CHECK_THROWS_WITH(read_paper(dir / "truncated.docx"), Catch::Contains("not a valid zip archive"));
}

TEST_CASE("a mixed batch: every format indexes, each bad file fails alone, pages show in results",
          "[formats][integration]") {
  test::TempDir dir;
  const fs::path docs = dir / "docs";
  test::write_file(docs / "a.pdf",
                   test::make_pdf({{{700, "Page one speaks of peace."}},
                                   {{700, "Page two speaks of the Sahel and peace."}}}));
  test::write_file(docs / "b.docx",
                   test::make_docx({{"Heading1", "Peace"}, {"", "A Word paragraph about peace."}}));
  test::write_file(docs / "c.html",
                   "<html><body><p>An HTML paragraph about peace.</p></body></html>");
  test::write_file(docs / "d.md", "# Notes\n\nMarkdown about peace.\n");
  test::write_file(docs / "broken.pdf", "%PDF-1.7 broken");
  test::write_file(docs / "bomb.docx", test::make_zip_bomb("word/document.xml", 100u << 20));
  IndexRunOptions options;
  options.index_dir = dir / "index";
  options.inputs = {docs};
  const IndexReport r = run_index(options);
  CHECK(r.added == 4);
  CHECK(r.failed == 2);
  IndexReader reader = IndexReader::open(IndexLocation::directory(dir / "index"));
  Searcher searcher(reader);
  SearchRequest request;
  request.query = "peace";
  request.limit = 20;
  const auto found = searcher.search(request);
  CHECK(found.total == 5);
  bool page_two = false;
  for (const auto& hit : found.results) page_two = page_two || (hit.doc.id == "a" && hit.page == 2);
  CHECK(page_two);
  request.filters = {Filter{"region", "Sahel", false}};
  CHECK(searcher.search(request).total == 1);
}

TEST_CASE("sidecars give the metadata of HTML, PDF and DOCX papers", "[formats][sidecar]") {
  test::TempDir dir;
  test::write_file(dir / "page.html",
                   "<html lang=\"fr\"><head><title>Page title</title><meta name=\"author\" "
                   "content=\"Page author\"></head><body><p>Text of the page.</p></body></html>");
  test::write_file(
      dir / "paper.pdf",
      test::make_pdf({{{700, "Text of the PDF paper, long enough to count as a text layer."}}},
                     "PDF"));
  test::write_file(dir / "word.docx", test::make_docx({{"", "Text of the Word paper."}},
                                                      "Core title", "Core creator"));
  // Both sidecar names: NAME.meta.json and NAME.EXT.meta.json.
  test::write_file(dir / "page.meta.json",
                   R"({"id": "html-sc", "title": "HTML sidecar", "issuer": "Ministry A",
                       "date": "2019-05-01", "language": "en", "type": "white paper",
                       "series": "S-1"})");
  test::write_file(dir / "paper.pdf.meta.json",
                   R"({"id": "pdf-sc", "title": "PDF sidecar", "issuer": "Ministry B",
                       "date": "2018-04-02", "country": "Kenya"})");
  test::write_file(dir / "word.meta.json",
                   R"({"id": "docx-sc", "title": "DOCX sidecar", "issuer": "Ministry C",
                       "date": "2017-03-03", "type": "strategy"})");
  const Paper html = read_paper(dir / "page.html");
  CHECK(html.meta.id == "html-sc");
  CHECK(html.meta.title == "HTML sidecar");
  CHECK(html.meta.issuer == "Ministry A");
  CHECK(html.meta.date == "2019-05-01");
  CHECK(html.meta.language == "en");
  CHECK(html.meta.type == "white paper");
  CHECK(html.meta.extra.at("series") == "S-1");
  const Paper pdf = read_paper(dir / "paper.pdf");
  CHECK(pdf.meta.id == "pdf-sc");
  CHECK(pdf.meta.title == "PDF sidecar");
  CHECK(pdf.meta.issuer == "Ministry B");
  CHECK(pdf.meta.date == "2018-04-02");
  CHECK(pdf.meta.country == "Kenya");
  const Paper docx = read_paper(dir / "word.docx");
  CHECK(docx.meta.id == "docx-sc");
  CHECK(docx.meta.title == "DOCX sidecar");
  CHECK(docx.meta.issuer == "Ministry C");
  CHECK(docx.meta.date == "2017-03-03");
  CHECK(docx.meta.type == "strategy");
}

TEST_CASE("include and exclude globs select files in a tree", "[formats][integration]") {
  test::TempDir dir;
  test::write_file(dir / "docs" / "keep" / "one.txt", "One about rivers.\n");
  test::write_file(dir / "docs" / "keep" / "two.html", "<p>Two about rivers.</p>");
  test::write_file(dir / "docs" / "drafts" / "three.txt", "Three about rivers.\n");
  IndexRunOptions options;
  options.index_dir = dir / "index";
  options.inputs = {dir / "docs"};
  options.selection.exclude = {"drafts/*"};
  options.selection.include = {"*.txt", "*.html"};
  CHECK(run_index(options).added == 2);
}
