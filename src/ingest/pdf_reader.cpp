// PDF through poppler-cpp: each page's text in reading order, then the plain-text parser
// rebuilds paragraphs across line and page breaks, undoes line-end hyphenation, drops running
// headers, footers and page numbers, and keeps each paragraph's page.
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>

#include <algorithm>
#include <ctime>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "concord/error.hpp"
#include "concord/text.hpp"
#include "formats.hpp"
#include "metadata.hpp"

namespace concord::ingest {
namespace {

std::string utf8(const poppler::ustring& s) {
  const poppler::byte_array bytes = s.to_utf8();
  return repair_utf8(std::string_view(bytes.data(), bytes.size())).text;
}

// Poppler reports problems with the file on stderr by default; we report them ourselves.
void quiet(const std::string&, void*) {}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = text.find('\n', start);
    lines.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return lines;
}

// Physical layout keeps each printed line and shows vertical gaps as blank lines, which the
// paragraph rebuilder needs; but on a page set in columns it puts the columns side by side.
// A page where many lines have a wide gap in their middle is read in reading order instead.
bool looks_multi_column(const std::vector<std::string>& lines) {
  std::size_t text_lines = 0, split = 0;
  for (const auto& line : lines) {
    const std::string_view t = trim(line);
    if (t.size() < 20) continue;
    ++text_lines;
    const std::size_t from = line.size() / 4, to = line.size() * 3 / 4;
    const std::size_t gap = line.find("     ", from);
    if (gap != std::string::npos && gap < to) ++split;
  }
  return text_lines >= 6 && split * 10 >= text_lines * 3;
}

// A line's identity for header and footer detection: letters only, lower case.
std::string line_key(std::string_view line) {
  std::string key;
  for (const char c : line) {
    if (std::isalpha(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80) {
      key.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  return key;
}

bool page_number_line(std::string_view line) {
  std::string rest;
  for (const char c : line) {
    if (c != ' ' && c != '-' && c != '|' && c != '.' && c != '[' && c != ']' && c != '(' &&
        c != ')') {
      rest.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  if (rest.rfind("page", 0) == 0) rest.erase(0, 4);
  if (const std::size_t of = rest.find("of"); of != std::string::npos) rest.erase(of, 2);
  return !rest.empty() && rest.size() <= 9 &&
         (std::all_of(rest.begin(), rest.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
          (rest.size() <= 5 && std::all_of(rest.begin(), rest.end(), [](char c) {
             return c == 'i' || c == 'v' || c == 'x';
           })));
}

// Removes running headers and footers: the first and last lines of pages that repeat (their
// letters) on several pages, and page numbers.
void drop_running_lines(std::vector<std::vector<std::string>>& pages) {
  std::map<std::string, std::size_t> tops, bottoms;
  const auto edge = [](const std::vector<std::string>& lines,
                       bool top) -> std::optional<std::size_t> {
    if (top) {
      for (std::size_t k = 0; k < lines.size(); ++k) {
        if (!trim(lines[k]).empty()) return k;
      }
    } else {
      for (std::size_t k = lines.size(); k-- > 0;) {
        if (!trim(lines[k]).empty()) return k;
      }
    }
    return std::nullopt;
  };
  for (const auto& lines : pages) {
    if (const auto k = edge(lines, true)) ++tops[line_key(lines[*k])];
    if (const auto k = edge(lines, false)) ++bottoms[line_key(lines[*k])];
  }
  const std::size_t needed = std::max<std::size_t>(2, (pages.size() * 2 + 4) / 5);  // 40% of pages
  for (auto& lines : pages) {
    for (const bool top : {true, false}) {
      // Up to two lines at each edge: a header and a page number, say.
      for (int round = 0; round < 2; ++round) {
        const auto k = edge(lines, top);
        if (!k) break;
        const std::string key = line_key(lines[*k]);
        const auto& counts = top ? tops : bottoms;
        const auto it = counts.find(key);
        const bool repeated = !key.empty() && it != counts.end() && it->second >= needed;
        if (!repeated && !page_number_line(lines[*k])) break;
        lines[*k].clear();
      }
    }
  }
}

}  // namespace

Paper parse_pdf(std::string_view bytes, const DocumentMeta& sidecar, const IngestOptions& options) {
  poppler::set_debug_error_function(&quiet, nullptr);
  if (bytes.substr(0, 5) != "%PDF-")
    throw Error(ErrorCode::kInvalidInput, "not a PDF (no %PDF header)");
  std::unique_ptr<poppler::document> doc(
      poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  if (!doc) throw Error(ErrorCode::kInvalidInput, "corrupt PDF: poppler cannot open it");
  if (doc->is_locked())
    throw Error(ErrorCode::kInvalidInput, "encrypted PDF: it needs a password to open");
  const int pages = doc->pages();
  if (pages <= 0) throw Error(ErrorCode::kInvalidInput, "PDF without pages");
  DecodedText text;
  text.encoding = "pdf";
  LayoutHints hints;
  hints.from_pdf = true;
  std::size_t letters = 0;
  std::vector<std::vector<std::string>> page_lines;
  for (int i = 0; i < pages; ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    if (!page) {
      page_lines.emplace_back();
      continue;
    }
    std::string page_text = utf8(page->text(poppler::rectf(), poppler::page::physical_layout));
    for (char& c : page_text) {
      if (c == '\f') c = '\n';
    }
    std::vector<std::string> lines = split_lines(page_text);
    if (looks_multi_column(lines)) {
      std::string flowing =
          utf8(page->text(poppler::rectf(), poppler::page::non_raw_non_physical_layout));
      for (char& c : flowing) {
        if (c == '\f') c = '\n';
      }
      lines = split_lines(flowing);
    }
    for (const auto& line : lines) {
      for (const char c : line)
        letters +=
            std::isalnum(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80;
    }
    page_lines.push_back(std::move(lines));
  }
  drop_running_lines(page_lines);
  for (const auto& lines : page_lines) {
    hints.page_starts.push_back(text.text.size());
    for (const auto& line : lines) {
      text.text += line;
      text.text += '\n';
    }
    // A blank line keeps pages apart; the parser joins a paragraph across it when the
    // sentence runs on.
    text.text += '\n';
  }
  if (letters < 20 * static_cast<std::size_t>(pages) && letters < 200) {
    throw Error(ErrorCode::kInvalidInput,
                "PDF without a text layer (a scanned document? it needs OCR first)");
  }
  DocumentMeta meta;
  meta.title = std::string(trim(utf8(doc->get_title())));
  meta.issuer = std::string(trim(utf8(doc->get_author())));
  const time_t created = doc->info_date_t("CreationDate");
  if (created > 0) {
    std::tm tm{};
    gmtime_r(&created, &tm);
    char date[16];
    std::strftime(date, sizeof date, "%Y-%m-%d", &tm);
    meta.date = date;
  }
  // What the PDF's info dictionary says counts below the sidecar but above guesses from text.
  DocumentMeta over = meta;
  merge_meta(over, sidecar);
  Paper paper = parse_decoded_text(std::move(text), TextFormat::kPlain, over, options, hints);
  return paper;
}

}  // namespace concord::ingest
