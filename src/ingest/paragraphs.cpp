// Paragraph entries: section paths, ordinals, size limits and line joining.
#include "paragraphs.hpp"

#include "concord/error.hpp"
#include "concord/text.hpp"

namespace concord::ingest {
namespace {

// Where to cut an over-long paragraph: the last sentence end before the limit, else the last
// space, else the last whole UTF-8 character.
std::size_t cut_point(std::string_view text, std::size_t limit) {
  const std::string_view window = utf8_prefix(text, limit);
  for (const std::string_view end : {". ", "? ", "! ", "\xE3\x80\x82"}) {
    const std::size_t pos = window.rfind(end);
    if (pos != std::string_view::npos && pos > limit / 2) return pos + end.size();
  }
  const std::size_t space = window.rfind(' ');
  if (space != std::string_view::npos && space > limit / 2) return space + 1;
  return window.size();
}

}  // namespace

void ParagraphSink::add(RawEntry entry) {
  if (trim(entry.text).empty()) return;
  const std::size_t limit = std::max<std::size_t>(options_.max_paragraph_bytes, 64);
  if (entry.text.size() <= limit) {
    std::string text = std::move(entry.text);
    emit(entry, std::move(text), entry.begin, entry.end);
    return;
  }
  // Offsets of pieces are exact only when the text is a verbatim copy of the source span.
  const bool verbatim = entry.end - entry.begin == entry.text.size();
  std::string_view rest(entry.text);
  std::uint64_t offset = entry.begin;
  while (!rest.empty()) {
    const std::size_t cut = rest.size() <= limit ? rest.size() : cut_point(rest, limit);
    const std::string_view piece = rest.substr(0, cut);
    const std::uint64_t begin = verbatim ? offset : entry.begin;
    const std::uint64_t end = verbatim ? offset + cut : entry.end;
    emit(entry, std::string(trim(piece)), begin, end);
    offset += cut;
    rest.remove_prefix(cut);
  }
}

void ParagraphSink::emit(const RawEntry& entry, std::string text, std::uint64_t begin,
                         std::uint64_t end) {
  if (text.empty()) return;
  Paragraph p;
  p.ordinal = static_cast<std::uint32_t>(paper_.paragraphs.size() + 1);
  p.section = entry.section;
  p.begin = begin;
  p.end = end;
  p.page = entry.page;
  p.is_heading = entry.is_heading;
  p.text = std::move(text);
  for (int s = entry.section; s >= 0; s = paper_.sections[static_cast<std::size_t>(s)].parent) {
    Section& section = paper_.sections[static_cast<std::size_t>(s)];
    p.section_path.insert(p.section_path.begin(), section.heading);
    if (section.first_paragraph == 0) section.first_paragraph = p.ordinal;
  }
  if (entry.section >= 0)
    p.section_number = paper_.sections[static_cast<std::size_t>(entry.section)].number;
  paper_.paragraphs.push_back(std::move(p));
}

void ParagraphSink::finish() const {
  if (paper_.paragraphs.empty()) {
    throw Error(ErrorCode::kInvalidInput, "no paragraph of text found");
  }
}

void append_wrapped_line(std::string& paragraph, std::string_view line) {
  line = trim(line);
  if (line.empty()) return;
  if (paragraph.empty()) {
    paragraph.assign(line);
    return;
  }
  const std::size_t n = paragraph.size();
  const bool hyphen_break = n >= 2 && paragraph[n - 1] == '-' &&
                            ((paragraph[n - 2] >= 'a' && paragraph[n - 2] <= 'z') ||
                             (paragraph[n - 2] >= 'A' && paragraph[n - 2] <= 'Z'));
  // CJK text wraps without spaces between characters.
  std::size_t last_start = n - 1;
  while (last_start > 0 && (static_cast<unsigned char>(paragraph[last_start]) & 0xC0) == 0x80) {
    --last_start;
  }
  std::size_t i = last_start;
  const char32_t last = next_code_point(paragraph, i);
  i = 0;
  const char32_t first = next_code_point(line, i);
  const bool cjk_join = last >= 0x2E80 && first >= 0x2E80;
  if (!hyphen_break && !cjk_join) paragraph.push_back(' ');
  paragraph.append(line);
}

std::string collapse_spaces(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t start = i;
    const char32_t cp = next_code_point(text, i);
    const bool is_space = cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0 ||
                          cp == '\f' || cp == '\v' || cp == 0x3000 ||
                          (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F;
    if (is_space) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.append(text.substr(start, i - start));
  }
  return out;
}

std::string strip_markdown_inline(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    // ![alt](url) and [text](url) keep alt/text.
    if ((c == '[' || (c == '!' && i + 1 < text.size() && text[i + 1] == '['))) {
      const std::size_t open = c == '!' ? i + 1 : i;
      const std::size_t close = text.find(']', open);
      if (close != std::string_view::npos && close + 1 < text.size() && text[close + 1] == '(') {
        const std::size_t paren = text.find(')', close);
        if (paren != std::string_view::npos) {
          out.append(text.substr(open + 1, close - open - 1));
          i = paren + 1;
          continue;
        }
      }
    }
    if (c == '`') {
      ++i;
      continue;
    }
    if ((c == '*' || c == '_') && i + 1 < text.size() && text[i + 1] == c) {
      i += 2;
      continue;
    }
    // Single * or _ used as emphasis: drop it when it hugs a word on one side only.
    if (c == '*' || c == '_') {
      const bool before_space = i == 0 || text[i - 1] == ' ';
      const bool after_space = i + 1 >= text.size() || text[i + 1] == ' ';
      if (before_space != after_space) {
        ++i;
        continue;
      }
    }
    out.push_back(c);
    ++i;
  }
  return out;
}

}  // namespace concord::ingest
