// Documents made by the tests themselves: PDFs (written byte by byte), DOCX archives (through
// libzip), so every format is tested on files whose content the test knows exactly.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace concord::test {

// A PDF page: lines of text from the top, each at its own height (points from the bottom).
struct PdfLine {
  double y;
  std::string text;  // Latin-1 compatible ASCII text
  double size = 11;
};
using PdfPage = std::vector<PdfLine>;

// A minimal PDF 1.4 with the standard Helvetica font; `drawing_only` adds a page with shapes
// but no text (a "scanned" page).
std::string make_pdf(const std::vector<PdfPage>& pages, const std::string& title = {},
                     bool drawing_only = false);

// A DOCX archive from (style id, text) paragraphs; style ids "Heading1".."Heading3", "Title",
// "ChapterTitle" (based on Heading1), "SubChapter" (based on SubBase, based on Heading2) are
// defined in its styles.xml. "ListNumber" and "ListNumber2" are levels 1 and 2 of one numbered
// list ("(1)", "(a)"), "ListFrom5" a list that starts at 5 ("5.").
std::string make_docx(const std::vector<std::pair<std::string, std::string>>& paragraphs,
                      const std::string& title = {}, const std::string& creator = {});

// A zip archive holding one member of `size` zero bytes (highly compressible: a zip bomb).
std::string make_zip_bomb(const std::string& member, std::size_t size);

}  // namespace concord::test
