// Plain text and Markdown: lines to sections and paragraph entries.
#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "concord/error.hpp"
#include "concord/ingest.hpp"
#include "concord/text.hpp"
#include "decode.hpp"
#include "formats.hpp"
#include "language.hpp"
#include "metadata.hpp"
#include "paragraphs.hpp"
#include "structure.hpp"

namespace concord {
namespace {

using ingest::HeadingMatch;
using ingest::OutlineBuilder;

struct Line {
  std::string_view text;  // without the line terminator
  std::size_t begin = 0;  // offsets in the decoded text
};

std::vector<Line> split_lines(std::string_view text) {
  std::vector<Line> lines;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || text[i] == '\r') {
      lines.push_back(Line{text.substr(start, i - start), start});
      if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      start = i + 1;
    }
  }
  if (start < text.size()) lines.push_back(Line{text.substr(start), start});
  return lines;
}

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

bool ends_with_any(std::string_view s, std::initializer_list<std::string_view> ends) {
  for (const auto e : ends) {
    if (s.size() >= e.size() && s.substr(s.size() - e.size()) == e) return true;
  }
  return false;
}

bool ends_sentence(std::string_view s) {
  return ends_with_any(
      s, {".", "!", "?", ":", ";", "\"", "'", ")", "\xE2\x80\x9D", "\xE2\x80\x99", "\xE3\x80\x82",
          "\xEF\xBC\x81", "\xEF\xBC\x9F", "\xEF\xBC\x9A", "\xEF\xBC\x9B"});
}

bool starts_lowercase(std::string_view s) {
  if (s.empty()) return false;
  const auto c = static_cast<unsigned char>(s[0]);
  return (c >= 'a' && c <= 'z') ||
         (c >= 0xC3 && c <= 0xC5 && s.size() > 1 && static_cast<unsigned char>(s[1]) >= 0x9F);
}

// "12", "- 12 -", "Page 12", "12 of 40", "xii": a page number on a line of its own.
bool is_page_number(std::string_view line) {
  std::string rest;
  for (const char c : line) {
    if (c != ' ' && c != '-' && c != '|' && c != '.' && c != '[' && c != ']') {
      rest.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  if (rest.rfind("page", 0) == 0) rest.erase(0, 4);
  const std::size_t of = rest.find("of");
  if (of != std::string::npos) rest.erase(of, 2);
  if (rest.empty() || rest.size() > 9) return false;
  const bool digits =
      std::all_of(rest.begin(), rest.end(), [](char c) { return c >= '0' && c <= '9'; });
  const bool roman = std::all_of(rest.begin(), rest.end(),
                                 [](char c) { return c == 'i' || c == 'v' || c == 'x'; });
  return digits || (roman && rest.size() <= 5);
}

// "- item", "* item", "• item": returns the item text, or nullopt.
std::optional<std::string_view> bullet_item(std::string_view line, bool markdown) {
  static constexpr std::array<std::string_view, 6> kPlain{
      "- ", "* ", "\xE2\x80\xA2 " /*•*/, "\xC2\xB7 " /*·*/, "\xE2\x80\x93 " /*–*/, "+ "};
  for (std::size_t k = 0; k < kPlain.size(); ++k) {
    if (!markdown && k == 5) break;  // "+ " is only a bullet in Markdown
    if (line.substr(0, kPlain[k].size()) == kPlain[k]) return trim(line.substr(kPlain[k].size()));
  }
  return std::nullopt;
}

// "1. item" or "1) item": a Markdown ordered list item, which is a paragraph, not a section
// (Markdown marks sections with '#').
bool ordered_list_item(std::string_view line) {
  std::size_t digits = 0;
  while (digits < line.size() && digits < 9 && line[digits] >= '0' && line[digits] <= '9') ++digits;
  return digits > 0 && digits + 1 < line.size() && (line[digits] == '.' || line[digits] == ')') &&
         line[digits + 1] == ' ';
}

// "## Heading ##" -> level 2, "Heading"
std::optional<std::pair<int, std::string_view>> markdown_heading(std::string_view line) {
  int level = 0;
  while (static_cast<std::size_t>(level) < line.size() &&
         line[static_cast<std::size_t>(level)] == '#') {
    ++level;
  }
  if (level == 0 || level > 6) return std::nullopt;
  std::string_view rest = line.substr(static_cast<std::size_t>(level));
  if (!rest.empty() && rest[0] != ' ' && rest[0] != '\t') return std::nullopt;
  rest = trim(rest);
  while (!rest.empty() && rest.back() == '#') rest.remove_suffix(1);
  rest = trim(rest);
  if (rest.empty()) return std::nullopt;
  return std::make_pair(level, rest);
}

bool is_rule(std::string_view line) {
  if (line.size() < 3) return false;
  const char c = line[0];
  if (c != '-' && c != '*' && c != '_' && c != '=') return false;
  return std::all_of(line.begin(), line.end(), [c](char x) { return x == c || x == ' '; });
}

class TextParser {
 public:
  TextParser(std::string_view text, const ingest::SourceMap& source, TextFormat format,
             const IngestOptions& options, Paper& paper, const ingest::LayoutHints& hints)
      : text_(text),
        source_(source),
        markdown_(format == TextFormat::kMarkdown),
        builder_(paper.sections),
        sink_(paper, options),
        paper_(paper),
        hints_(hints) {
    if (hints_.from_pdf) collect_vocabulary();
  }

  void run(const std::string& origin) {
    lines_ = split_lines(text_);
    running_.assign(lines_.size(), false);
    std::size_t start = 0;
    if (markdown_) {
      if (auto fm = ingest::parse_front_matter(views(), start, origin)) front_matter_ = *fm;
    }
    start = read_header(start);
    mark_running_lines(start);
    measure_wrap_width(start);
    for (std::size_t j = start; j < lines_.size(); ++j) handle_line(j);
    flush();
    sink_.finish();
  }

  DocumentMeta guessed;
  DocumentMeta front_matter_;

 private:
  std::vector<std::string_view> views() const {
    std::vector<std::string_view> v;
    v.reserve(lines_.size());
    for (const auto& l : lines_) v.push_back(l.text);
    return v;
  }

  bool blank(std::size_t j) const {
    return j >= lines_.size() || running_[j] || trim(lines_[j].text).empty();
  }

  // The line after a bare heading number if it reads as that heading's title, else 0.
  std::size_t title_line_after(std::size_t j) const {
    std::size_t k = j + 1;
    while (k < lines_.size() && blank(k)) ++k;
    if (k >= lines_.size() || k - j > 4) return 0;
    const std::string_view line = trim(lines_[k].text);
    std::size_t words = 1;
    for (const char c : line) words += c == ' ' ? 1 : 0;
    if (words > 16 || line.size() > 160 || ends_sentence(line) || starts_lowercase(line) ||
        ingest::match_numbering(line)) {
      return 0;
    }
    return k;
  }

  // Page headers and footers that PDF extraction left in the text ("National Security
  // Strategy 11"): short lines that repeat many times once their digits are ignored. They
  // are treated as blank lines.
  void mark_running_lines(std::size_t start) {
    running_.assign(lines_.size(), false);
    struct Seen {
      std::size_t count = 0, with_digits = 0;
    };
    std::map<std::string, Seen> seen;
    const auto key_of = [](std::string_view line, bool& digits) {
      std::string key;
      digits = false;
      for (const char c : line) {
        if (c >= '0' && c <= '9') {
          digits = true;
        } else if (c != ' ' && c != '\t') {
          key.push_back(c);
        }
      }
      return key;
    };
    for (std::size_t j = start; j < lines_.size(); ++j) {
      const std::string_view line = trim(lines_[j].text);
      if (line.empty() || line.size() > 80 || ends_with_any(line, {".", ",", ";", ":", "!", "?"}))
        continue;
      bool digits = false;
      const std::string key = key_of(line, digits);
      if (key.size() < 4) continue;
      Seen& s = seen[key];
      ++s.count;
      s.with_digits += digits ? 1 : 0;
    }
    for (std::size_t j = start; j < lines_.size(); ++j) {
      const std::string_view line = trim(lines_[j].text);
      if (line.empty() || line.size() > 80) continue;
      if (hints_.from_pdf && is_page_number(line)) {
        running_[j] = true;
        continue;
      }
      bool digits = false;
      const auto it = seen.find(key_of(line, digits));
      if (it == seen.end()) continue;
      const Seen& s = it->second;
      if ((s.count >= 4 && s.with_digits >= 2) || s.count >= 8) running_[j] = true;
    }
  }

  // The dateline and title lines before the body; returns the first body line.
  std::size_t read_header(std::size_t j) {
    int examined = 0;
    while (j < lines_.size() && examined < 4) {
      if (blank(j)) {
        ++j;
        continue;
      }
      const std::string_view line = trim(lines_[j].text);
      ++examined;
      if (guessed.date.empty() && guessed.place.empty()) {
        if (auto d = parse_dateline(line)) {
          guessed.issuer = d->issuer;
          guessed.place = d->place;
          guessed.date = d->date;
          ++j;
          continue;
        }
      }
      if (guessed.title.empty()) {
        if (markdown_) {
          if (auto h = markdown_heading(line); h && h->first == 1 && single_top_heading()) {
            guessed.title = std::string(h->second);
            ++j;
            continue;
          }
        } else if (is_title(j, line)) {
          guessed.title = std::string(line);
          ++j;
          continue;
        }
      }
      break;
    }
    return j;
  }

  bool single_top_heading() const {
    int count = 0;
    for (const auto& l : lines_) {
      if (auto h = markdown_heading(trim(l.text)); h && h->first == 1) ++count;
    }
    return count == 1;
  }

  bool is_title(std::size_t j, std::string_view line) const {
    // Emphasis markers around a line ("**Mr President,**") do not make it a title.
    while (!line.empty() && (line.back() == '*' || line.back() == '_')) line.remove_suffix(1);
    while (!line.empty() && (line.front() == '*' || line.front() == '_')) line.remove_prefix(1);
    if (line.empty() || line.size() > 200 ||
        ends_with_any(
            line, {".", ",", ";", ":", "!", "?", "\xE3\x80\x82", "\xEF\xBC\x8C", "\xEF\xBC\x9B"})) {
      return false;
    }
    if (ingest::match_numbering(line)) return false;
    // A salutation opens a speech; taken for the title, it would vanish from the text.
    std::string head(line.substr(0, 16));
    for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const std::string_view greeting :
         {"mr ", "mr. ", "mrs", "ms ", "ms. ", "madam", "mdm", "your excellenc", "excellenc",
          "distinguished", "honourable", "honorable", "dear ", "ladies and", "sir,", "monsieur",
          "señor", "senor"}) {
      if (head.rfind(greeting, 0) == 0) return false;
    }
    // The name of a paper's opening section is a heading of the paper, not its title.
    std::string whole(trim(line));
    for (char& c : whole) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const std::string_view section :
         {"preface", "foreword", "introduction", "contents", "table of contents", "summary",
          "executive summary", "abstract", "preamble", "overview", "acknowledgements",
          "acknowledgments", "\xE5\x89\x8D\xE8\xA8\x80" /* 前言 */,
          "\xE5\xBA\x8F\xE8\xA8\x80" /* 序言 */, "\xE5\xBC\x95\xE8\xA8\x80" /* 引言 */,
          "\xE7\x9B\xAE\xE5\xBD\x95" /* 目录 */, "\xE6\x91\x98\xE8\xA6\x81" /* 摘要 */}) {
      if (whole == section) return false;
    }
    std::size_t words = 1;
    for (const char c : line) words += c == ' ' ? 1 : 0;
    if (words > 25) return false;
    // A title stands alone: a blank line follows and more text comes after it.
    if (!blank(j + 1)) return false;
    for (std::size_t k = j + 1; k < lines_.size(); ++k) {
      if (!blank(k)) return true;
    }
    return false;
  }

  // Hard-wrapped text has most lines near one width; papers written one paragraph per line
  // have no such width. The 90th percentile of line lengths tells the two apart.
  void measure_wrap_width(std::size_t start) {
    std::vector<std::size_t> lengths;
    for (std::size_t j = start; j < lines_.size(); ++j) {
      if (!blank(j)) lengths.push_back(code_points(trim(lines_[j].text)));
    }
    if (lengths.size() < 4) return;
    std::sort(lengths.begin(), lengths.end());
    wrap_width_ = lengths[lengths.size() * 9 / 10];
    // Count lines that fill most of the width: wrapped text has many. Few lines give little
    // evidence, so they must agree more.
    std::size_t full = 0;
    for (const auto n : lengths) full += (n * 10 >= wrap_width_ * 6) ? 1 : 0;
    const double ratio = static_cast<double>(full) / static_cast<double>(lengths.size());
    wrapped_ = wrap_width_ >= 30 && wrap_width_ <= 170 &&
               (lengths.size() >= 8 ? ratio >= 0.6 : ratio >= 0.75);
  }

  bool short_line(std::string_view line) const { return code_points(line) * 10 < wrap_width_ * 7; }

  // A numbered line opens a section only where a heading can stand: at the start of a
  // block, or anywhere when each line is a paragraph of its own.
  bool heading_may_start() const {
    if (block_.lines.empty()) return true;
    if (!wrapped_ && !markdown_) return true;
    const std::string_view prev = trim(block_.lines.back().first);
    if (markdown_) return short_line(prev) && ends_sentence(prev);
    // Hard-wrapped text: a resolution's operative paragraphs follow each other without a
    // blank line, and the line before a number fills the width as often as not. A sentence
    // or clause end before it is enough, because builder_.accepts() still wants the number
    // to continue its sequence.
    return ends_sentence(prev) || prev.back() == ';' || prev.back() == ':' || prev.back() == ',';
  }

  void handle_line(std::size_t j) {
    if (running_[j]) return;
    const std::string_view line = trim(lines_[j].text);
    if (markdown_ && (line.substr(0, 3) == "```" || line.substr(0, 3) == "~~~")) {
      flush();
      in_fence_ = !in_fence_;
      return;
    }
    if (line.empty()) {
      if (in_fence_) return;
      // Hard-wrapped text extracted from PDFs has blank lines in mid-sentence; decide when
      // the next line shows whether the sentence goes on.
      // A page break is such a blank in any PDF, hard-wrapped or not.
      if (!markdown_ && !block_.lines.empty() && !block_.closed &&
          (wrapped_ || (hints_.from_pdf && next_line_on_another_page(j)))) {
        block_.blank_pending = true;
      } else {
        flush();
      }
      return;
    }
    if (block_.blank_pending) {
      const std::string_view prev = trim(block_.lines.back().first);
      const bool continues =
          !ends_sentence(prev) && starts_lowercase(line) && !ingest::match_numbering(line);
      if (!continues) flush();
      block_.blank_pending = false;
    }
    const std::size_t begin =
        lines_[j].begin + static_cast<std::size_t>(line.data() - lines_[j].text.data());
    if (in_fence_) {
      add(line, begin);
      return;
    }
    if (markdown_) {
      if (auto h = markdown_heading(line)) {
        flush();
        const int section = builder_.add_markdown(h->first, std::string(h->second));
        start_heading_block(section, h->second, begin, line.size(), true);
        return;
      }
      // Setext heading: a single line underlined with === or ---.
      if (is_rule(line) && (line[0] == '=' || line[0] == '-') && block_.lines.size() == 1 &&
          block_.section_of_heading < 0) {
        const std::string heading(block_.lines.front().first);
        const std::size_t hbegin = block_.lines.front().second;
        block_ = Block{};
        const int section = builder_.add_markdown(line[0] == '=' ? 1 : 2, heading);
        start_heading_block(section, heading, hbegin, heading.size(), true);
        return;
      }
      if (is_rule(line)) {
        flush();
        return;
      }
    }
    if (markdown_ && ordered_list_item(line)) {
      flush();
      add(line, begin);
      return;
    }
    if (auto numbering = ingest::match_numbering(line);
        numbering && heading_may_start() && builder_.accepts(*numbering)) {
      flush();
      std::string heading(line);
      std::size_t length = line.size();
      // "PILLAR I" or "Article 5" alone on its line: the title often follows on the next.
      if (numbering->rest.empty()) {
        if (const std::size_t next = title_line_after(j)) {
          const std::string_view title = trim(lines_[next].text);
          heading += " " + std::string(title);
          length = lines_[next].begin +
                   static_cast<std::size_t>(title.data() - lines_[next].text.data()) +
                   title.size() - begin;
          running_[next] = true;  // consumed
        }
      }
      const int section = builder_.add_numbered(*numbering, heading);
      // In hard-wrapped text an item that is a sentence of content runs on to the next lines.
      start_heading_block(section, heading, begin, length, !wrapped_ || length != line.size());
      return;
    }
    if (auto item = bullet_item(line, markdown_)) {
      flush();
      add(*item, begin + static_cast<std::size_t>(item->data() - line.data()));
      block_.end_of_last = begin + line.size();
      return;
    }
    if (!block_.lines.empty() && breaks_before(line)) flush();
    add(line, begin);
    block_.end_of_last = begin + line.size();
  }

  bool breaks_before(std::string_view line) const {
    if (block_.closed) return true;
    if (markdown_) return false;  // Markdown joins the lines of a block
    const std::string_view prev = trim(block_.lines.back().first);
    if (wrapped_) return short_line(prev) && ends_sentence(prev);
    // One paragraph per line, except where a line plainly runs on: it ends mid-sentence and
    // the next starts in lower case or it fills the usual width (mixed or damaged files).
    if (ends_sentence(prev)) return true;
    // ("(" cannot open a numbered item here: numbered lines were handled before.)
    return !(starts_lowercase(line) || line.front() == '(' ||
             code_points(prev) * 100 >= wrap_width_ * 85);
  }

  void start_heading_block(int section, std::string_view line, std::size_t begin, std::size_t len,
                           bool single_line) {
    block_ = Block{};
    block_.section_of_heading = section;
    add(line, begin);
    block_.end_of_last = begin + len;
    // A title-like heading ("1. Background") or a Markdown heading never continues onto the
    // next line; a long item heading in hard-wrapped text may.
    // A line that fills the wrap width was wrapped, whatever it reads like.
    block_.closed = single_line || !wrapped_ || short_line(line) ||
                    (!ingest::heading_is_content(line) && ends_sentence(line));
  }

  void add(std::string_view line, std::size_t begin) {
    if (block_.lines.empty()) {
      block_.section = builder_.current();
      block_.begin = begin;
    }
    block_.lines.emplace_back(std::string(line), begin);
    block_.end_of_last = begin + line.size();
  }

  void flush() {
    if (block_.lines.empty()) {
      block_ = Block{};
      return;
    }
    std::string joined;
    for (const auto& [line, begin] : block_.lines) {
      if (in_fence_) {
        if (!joined.empty()) joined += '\n';
        joined += line;
        continue;
      }
      if (hints_.from_pdf) {
        append_pdf_line(joined, trim(line));
      } else {
        ingest::append_wrapped_line(joined, line);
      }
    }
    if (markdown_ && !in_fence_) joined = ingest::strip_markdown_inline(joined);
    if (!in_fence_) joined = ingest::collapse_spaces(joined);
    ingest::RawEntry entry;
    entry.section = block_.section;
    entry.begin = source_.to_source(block_.begin);
    entry.page = page_of(block_.begin);
    entry.end = source_.to_source(block_.end_of_last);
    entry.text = std::move(joined);
    if (block_.section_of_heading >= 0) {
      auto& section = paper_.sections[static_cast<std::size_t>(block_.section_of_heading)];
      section.heading = entry.text;
      entry.is_heading = true;
      if (ingest::heading_is_content(entry.text)) sink_.add(std::move(entry));
    } else {
      sink_.add(std::move(entry));
    }
    block_ = Block{};
  }

  struct Block {
    std::vector<std::pair<std::string, std::size_t>> lines;
    int section = -1;             // innermost section when the block started
    int section_of_heading = -1;  // the block is this section's heading
    std::size_t begin = 0;
    std::size_t end_of_last = 0;
    bool closed = false;         // no further line joins this block
    bool blank_pending = false;  // a blank line followed; the next line decides
  };

  // Words of the whole text, to tell a line-end hyphenation ("inter-" "national") from a
  // hyphenated compound ("non-" "traditional") in PDF text.
  void collect_vocabulary() {
    std::string word;
    for (std::size_t i = 0; i <= text_.size(); ++i) {
      const char c = i < text_.size() ? text_[i] : ' ';
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-') {
        word.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
      } else if (!word.empty()) {
        vocabulary_.insert(word);
        word.clear();
      }
    }
  }

  // Appends a PDF line, undoing hyphenation at the line end when the document says so.
  void append_pdf_line(std::string& joined, std::string_view line) const {
    const std::size_t n = joined.size();
    if (n >= 2 && joined[n - 1] == '-' && std::isalpha(static_cast<unsigned char>(joined[n - 2])) &&
        !line.empty() && line[0] >= 'a' && line[0] <= 'z') {
      std::size_t start = n - 1;
      while (start > 0 && std::isalpha(static_cast<unsigned char>(joined[start - 1]))) --start;
      std::size_t end = 0;
      while (end < line.size() && std::isalpha(static_cast<unsigned char>(line[end]))) ++end;
      std::string head = joined.substr(start, n - 1 - start), tail(line.substr(0, end));
      for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      const bool compound =
          vocabulary_.count(head + "-" + tail) > 0 && vocabulary_.count(head + tail) == 0;
      if (!compound) joined.pop_back();
      joined.append(line);
      return;
    }
    ingest::append_wrapped_line(joined, line);
  }

  // Whether the first non-blank line after blank line j is on a later page than the block.
  [[nodiscard]] bool next_line_on_another_page(std::size_t j) const {
    for (std::size_t k = j + 1; k < lines_.size(); ++k) {
      if (blank(k)) continue;
      return page_of(lines_[k].begin) != page_of(block_.lines.back().second);
    }
    return false;
  }

  [[nodiscard]] std::uint32_t page_of(std::size_t offset) const {
    if (hints_.page_starts.empty()) return 0;
    const auto it = std::upper_bound(hints_.page_starts.begin(), hints_.page_starts.end(), offset);
    return static_cast<std::uint32_t>(it - hints_.page_starts.begin());
  }

  std::string_view text_;
  const ingest::SourceMap& source_;
  bool markdown_;
  OutlineBuilder builder_;
  ingest::ParagraphSink sink_;
  Paper& paper_;
  const ingest::LayoutHints& hints_;
  std::set<std::string> vocabulary_;
  std::vector<Line> lines_;
  std::vector<bool> running_;
  Block block_;
  std::size_t wrap_width_ = 0;
  bool wrapped_ = false;
  bool in_fence_ = false;
};

}  // namespace

Paper parse_text(std::string_view bytes, TextFormat format, const DocumentMeta& sidecar,
                 const IngestOptions& options) {
  return ingest::parse_decoded_text(ingest::decode_text(bytes), format, sidecar, options, {});
}

namespace ingest {

Paper parse_decoded_text(DecodedText decoded, TextFormat format, const DocumentMeta& sidecar,
                         const IngestOptions& options, const LayoutHints& hints) {
  if (trim(decoded.text).empty()) throw Error(ErrorCode::kInvalidInput, "empty file (no text)");
  Paper paper;
  paper.format = hints.from_pdf ? "pdf" : format == TextFormat::kMarkdown ? "markdown" : "text";
  paper.warnings = decoded.warnings;
  TextParser parser(decoded.text, decoded.source, format, options, paper, hints);
  parser.run(sidecar.id.empty() ? std::string("text") : sidecar.id);
  DocumentMeta meta = parser.guessed;
  meta.language = ingest::guess_language(decoded.text);
  ingest::merge_meta(meta, parser.front_matter_);
  ingest::merge_meta(meta, sidecar);
  paper.meta = std::move(meta);
  ingest::assign_paragraph_languages(paper);
  return paper;
}

}  // namespace ingest
}  // namespace concord
