// Recognising numbered headings and nesting them into an outline.
#include "structure.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

#include "concord/text.hpp"

namespace concord::ingest {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

bool is_ascii_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_ascii_upper(char c) {
  return c >= 'A' && c <= 'Z';
}
bool is_ascii_lower(char c) {
  return c >= 'a' && c <= 'z';
}

// Reads ASCII or full-width digits at s[i...]; returns the value (capped) and advances i.
std::optional<int> read_arabic(std::string_view s, std::size_t& i) {
  long value = 0;
  std::size_t digits = 0;
  while (i < s.size()) {
    if (is_ascii_digit(s[i])) {
      value = value * 10 + (s[i] - '0');
      ++i;
    } else if (starts_with(s.substr(i), "\xEF\xBC") && i + 2 < s.size() &&
               static_cast<unsigned char>(s[i + 2]) >= 0x90 &&
               static_cast<unsigned char>(s[i + 2]) <= 0x99) {  // U+FF10..U+FF19
      value = value * 10 + (static_cast<unsigned char>(s[i + 2]) - 0x90);
      i += 3;
    } else {
      break;
    }
    if (++digits > 4) return std::nullopt;  // "20230" is not a heading number
  }
  if (digits == 0) return std::nullopt;
  return static_cast<int>(value);
}

int roman_digit(char c) {
  switch (c) {
    case 'i':
    case 'I':
      return 1;
    case 'v':
    case 'V':
      return 5;
    case 'x':
    case 'X':
      return 10;
    case 'l':
    case 'L':
      return 50;
    case 'c':
    case 'C':
      return 100;
    default:
      return 0;
  }
}

// Value of a roman numeral written in one case, or nullopt if it is not a canonical one.
std::optional<int> roman_value(std::string_view token) {
  if (token.empty() || token.size() > 8) return std::nullopt;
  const bool upper = is_ascii_upper(token[0]);
  int total = 0;
  for (std::size_t k = 0; k < token.size(); ++k) {
    if (is_ascii_upper(token[k]) != upper) return std::nullopt;
    const int v = roman_digit(token[k]);
    if (v == 0) return std::nullopt;
    const int next = (k + 1 < token.size()) ? roman_digit(token[k + 1]) : 0;
    total += (v < next) ? -v : v;
  }
  if (total <= 0 || total > 199) return std::nullopt;
  // Canonical check: re-encode and compare, so "IIII" or "VX" are not numerals.
  static constexpr std::array<std::pair<int, std::string_view>, 9> kTable{{{100, "c"},
                                                                           {90, "xc"},
                                                                           {50, "l"},
                                                                           {40, "xl"},
                                                                           {10, "x"},
                                                                           {9, "ix"},
                                                                           {5, "v"},
                                                                           {4, "iv"},
                                                                           {1, "i"}}};
  std::string encoded;
  int rest = total;
  for (const auto& [v, text] : kTable) {
    while (rest >= v) {
      encoded += text;
      rest -= v;
    }
  }
  std::string lowered(token);
  for (char& c : lowered) c = static_cast<char>(c | 0x20);
  if (encoded != lowered) return std::nullopt;
  return total;
}

// Chinese numerals up to 999: 一 二 … 十 百, 〇/零 and 两.
std::optional<int> chinese_value(std::string_view token) {
  if (token.empty()) return std::nullopt;
  int total = 0, current = 0;
  std::size_t i = 0;
  bool any = false;
  while (i < token.size()) {
    const char32_t cp = next_code_point(token, i);
    int digit = -1;
    switch (cp) {
      case U'〇':
      case U'零':
        digit = 0;
        break;
      case U'一':
        digit = 1;
        break;
      case U'二':
      case U'两':
        digit = 2;
        break;
      case U'三':
        digit = 3;
        break;
      case U'四':
        digit = 4;
        break;
      case U'五':
        digit = 5;
        break;
      case U'六':
        digit = 6;
        break;
      case U'七':
        digit = 7;
        break;
      case U'八':
        digit = 8;
        break;
      case U'九':
        digit = 9;
        break;
      case U'十':
        total += (current == 0 ? 1 : current) * 10;
        current = 0;
        any = true;
        continue;
      case U'百':
        total += (current == 0 ? 1 : current) * 100;
        current = 0;
        any = true;
        continue;
      default:
        return std::nullopt;
    }
    current = digit;
    any = true;
  }
  if (!any) return std::nullopt;
  total += current;
  if (total <= 0) return std::nullopt;
  return total;
}

// Splits off the longest prefix made only of Chinese numeral characters.
std::string_view chinese_numeral_prefix(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t next = i;
    const char32_t cp = next_code_point(s, next);
    static constexpr std::u32string_view kNumerals = U"〇零一二两三四五六七八九十百";
    if (kNumerals.find(cp) == std::u32string_view::npos) break;
    i = next;
  }
  return s.substr(0, i);
}

std::string_view after_space(std::string_view s) {
  return trim(s);
}

// Text after a number must be separated by white space (or be empty) and start like a title.
bool plausible_rest(std::string_view raw_rest, bool require_space) {
  if (raw_rest.empty()) return true;
  if (require_space && raw_rest[0] != ' ' && raw_rest[0] != '\t' &&
      !starts_with(raw_rest, "\xE3\x80\x80") /* U+3000 */) {
    return false;
  }
  const std::string_view rest = trim(raw_rest);
  if (rest.empty()) return true;
  return !is_ascii_digit(rest[0]);
}

std::optional<HeadingMatch> match_parenthesised(std::string_view line) {
  std::size_t open_len = 0;
  if (starts_with(line, "("))
    open_len = 1;
  else if (starts_with(line, "\xEF\xBC\x88"))
    open_len = 3;  // （
  else
    return std::nullopt;
  std::size_t close = line.find(')', open_len);
  std::size_t close_len = 1;
  const std::size_t full_close = line.find("\xEF\xBC\x89", open_len);  // ）
  if (full_close != std::string_view::npos &&
      (close == std::string_view::npos || full_close < close)) {
    close = full_close;
    close_len = 3;
  }
  if (close == std::string_view::npos || close == open_len || close - open_len > 12) {
    return std::nullopt;
  }
  const std::string_view token = line.substr(open_len, close - open_len);
  const std::string_view raw_rest = line.substr(close + close_len);
  if (!plausible_rest(raw_rest, false)) return std::nullopt;
  HeadingMatch m;
  m.rest = std::string(after_space(raw_rest));
  std::size_t i = 0;
  m.numeral = std::string(token);
  if (auto arabic = read_arabic(token, i); arabic && i == token.size()) {
    m.style = "paren-num";
    m.value = *arabic;
    m.label = std::to_string(*arabic);
    return m;
  }
  if (auto cn = chinese_value(token)) {
    m.style = "cn-paren";
    m.value = *cn;
    m.label = std::to_string(*cn);
    return m;
  }
  if (auto roman = roman_value(token)) {
    m.style = is_ascii_upper(token[0]) ? "paren-ROMAN" : "paren-roman";
    m.value = *roman;
    m.label = std::string(token);
    // Single letters are ambiguous between letters and numerals; the builder decides.
    return m;
  }
  if (token.size() == 1 && (is_ascii_lower(token[0]) || is_ascii_upper(token[0]))) {
    m.style = is_ascii_lower(token[0]) ? "paren-alpha" : "paren-ALPHA";
    m.value = (token[0] | 0x20) - 'a' + 1;
    m.label = std::string(token);
    return m;
  }
  return std::nullopt;
}

std::optional<HeadingMatch> match_keyword(std::string_view line) {
  struct Keyword {
    std::string_view word;
    std::string_view style;
  };
  static constexpr std::array<Keyword, 8> kKeywords{{{"Article", "kw-article"},
                                                     {"Section", "kw-section"},
                                                     {"Chapter", "kw-chapter"},
                                                     {"Part", "kw-part"},
                                                     {"Pillar", "kw-pillar"},
                                                     {"Annex", "kw-annex"},
                                                     {"Title", "kw-title"},
                                                     {"Book", "kw-book"}}};
  for (const auto& kw : kKeywords) {
    if (line.size() <= kw.word.size() + 1) continue;
    const std::string_view head = line.substr(0, kw.word.size());
    std::string upper(kw.word);
    for (char& c : upper) c = static_cast<char>(c & ~0x20);
    if (head != kw.word && head != upper) continue;
    if (line[kw.word.size()] != ' ') continue;
    std::string_view after = line.substr(kw.word.size() + 1);
    std::size_t end = 0;
    while (end < after.size() && after[end] != ' ' && after[end] != '.' && after[end] != ':' &&
           after[end] != ',' && after[end] != '-') {
      ++end;
    }
    const std::string_view token = after.substr(0, end);
    HeadingMatch m;
    m.numeral = std::string(token);
    std::size_t i = 0;
    if (auto arabic = read_arabic(token, i); arabic && i == token.size()) {
      m.value = *arabic;
      m.label = std::to_string(*arabic);
    } else if (auto roman = roman_value(token); roman && is_ascii_upper(token[0])) {
      m.value = *roman;
      m.label = std::to_string(*roman);
    } else {
      continue;
    }
    std::string_view rest = after.substr(end);
    while (!rest.empty() &&
           (rest[0] == '.' || rest[0] == ':' || rest[0] == '-' || rest[0] == ' ')) {
      rest.remove_prefix(1);
    }
    // "Section 2 of the Act provides ..." is prose, not a heading.
    if (!rest.empty() && is_ascii_lower(rest[0])) return std::nullopt;
    m.style = std::string(kw.style);
    m.rest = std::string(trim(rest));
    m.any_start = true;
    return m;
  }
  return std::nullopt;
}

std::optional<HeadingMatch> match_chinese(std::string_view line) {
  // 第一章 / 第三条 / 第二部分
  if (starts_with(line, "第")) {
    std::string_view after = line.substr(std::string_view("第").size());
    std::size_t i = 0;
    std::optional<int> value;
    std::string_view numeral = chinese_numeral_prefix(after);
    if (!numeral.empty()) {
      value = chinese_value(numeral);
      i = numeral.size();
    } else {
      value = read_arabic(after, i);
    }
    if (!value) return std::nullopt;
    static constexpr std::array<std::string_view, 5> kUnits{"章", "节", "条", "部分", "编"};
    for (const auto unit : kUnits) {
      if (starts_with(after.substr(i), unit)) {
        HeadingMatch m;
        m.style = "cn-" + std::string(unit);
        m.numeral = std::string(after.substr(0, i));
        m.value = *value;
        m.label = std::to_string(*value);
        m.rest = std::string(trim(after.substr(i + unit.size())));
        m.any_start = true;
        return m;
      }
    }
    return std::nullopt;
  }
  // 一、 总体要求
  const std::string_view numeral = chinese_numeral_prefix(line);
  if (!numeral.empty() && starts_with(line.substr(numeral.size()), "、")) {
    auto value = chinese_value(numeral);
    if (!value) return std::nullopt;
    HeadingMatch m;
    m.style = "cn-num";
    m.numeral = std::string(numeral);
    m.value = *value;
    m.label = std::to_string(*value);
    m.rest = std::string(trim(line.substr(numeral.size() + std::string_view("、").size())));
    return m;
  }
  return std::nullopt;
}

std::optional<HeadingMatch> match_dotted(std::string_view line) {
  std::size_t i = 0;
  std::vector<int> parts;
  std::string label;
  while (true) {
    const std::size_t before = i;
    auto value = read_arabic(line, i);
    if (!value) {
      i = before;
      break;
    }
    parts.push_back(*value);
    if (!label.empty()) label += '.';
    label += std::to_string(*value);
    if (i < line.size() && line[i] == '.' && i + 1 < line.size() && is_ascii_digit(line[i + 1])) {
      ++i;
      continue;
    }
    break;
  }
  if (parts.empty()) return std::nullopt;
  std::string_view rest = line.substr(i);
  HeadingMatch m;
  if (parts.size() == 1) {
    // "1. Background", "1．", "1)" ("1" alone or "1 Background" is too often a plain number).
    if (starts_with(rest, ".")) {
      rest.remove_prefix(1);
      m.style = "decimal1";
    } else if (starts_with(rest, "\xEF\xBC\x8E")) {  // full-width full stop
      rest.remove_prefix(3);
      m.style = "decimal1";
    } else if (starts_with(rest, ")")) {
      rest.remove_prefix(1);
      m.style = "rparen-num";
    } else if (starts_with(rest, "、")) {
      rest.remove_prefix(std::string_view("、").size());
      m.style = "cn-arabic";
    } else {
      return std::nullopt;
    }
    if (rest.empty()) return std::nullopt;
    if (!plausible_rest(rest, m.style != "cn-arabic")) return std::nullopt;
  } else {
    if (starts_with(rest, ".")) rest.remove_prefix(1);
    if (!plausible_rest(rest, true) || trim(rest).empty()) return std::nullopt;
    if (is_ascii_lower(trim(rest)[0])) return std::nullopt;  // "1.5 million people ..."
    m.style = "decimal" + std::to_string(parts.size());
  }
  m.value = parts.back();
  m.label = label;
  m.numeral = label;
  m.rest = std::string(trim(rest));
  return m;
}

std::optional<HeadingMatch> match_letter_or_roman_dot(std::string_view line) {
  std::size_t end = 0;
  while (end < line.size() && end < 8 && (is_ascii_upper(line[end]) || is_ascii_lower(line[end]))) {
    ++end;
  }
  if (end == 0 || end >= line.size() || line[end] != '.') return std::nullopt;
  const std::string_view token = line.substr(0, end);
  const std::string_view raw_rest = line.substr(end + 1);
  if (raw_rest.empty() || !plausible_rest(raw_rest, true)) return std::nullopt;
  const std::string_view rest = trim(raw_rest);
  // The title after "II." or "B." starts with a capital or a quote.
  if (rest.empty() || is_ascii_lower(rest[0])) return std::nullopt;
  HeadingMatch m;
  m.rest = std::string(rest);
  m.numeral = std::string(token);
  if (auto roman = roman_value(token)) {
    m.style = is_ascii_upper(token[0]) ? "roman" : "roman-lower";
    m.value = *roman;
    m.label = std::to_string(*roman);
    return m;
  }
  if (token.size() == 1 && is_ascii_upper(token[0])) {
    m.style = "alpha-upper";
    m.value = token[0] - 'A' + 1;
    m.label = std::string(token);
    return m;
  }
  if (token.size() == 1 && is_ascii_lower(token[0])) {
    m.style = "alpha-lower";
    m.value = token[0] - 'a' + 1;
    m.label = std::string(token);
    return m;
  }
  return std::nullopt;
}

}  // namespace

std::optional<HeadingMatch> match_numbering(std::string_view line) {
  line = trim(line);
  if (line.empty()) return std::nullopt;
  // A table of contents line ("i. Overview ......... 1") lists headings; it is not one.
  if (line.find(".....") != std::string_view::npos ||
      line.find("\xE2\x80\xA6\xE2\x80\xA6") != std::string_view::npos) {
    return std::nullopt;
  }
  if (auto m = match_parenthesised(line)) return m;
  if (auto m = match_chinese(line)) return m;
  if (auto m = match_dotted(line)) return m;
  if (auto m = match_letter_or_roman_dot(line)) return m;
  if (auto m = match_keyword(line)) return m;
  return std::nullopt;
}

bool heading_is_content(std::string_view heading_text) {
  const std::string_view text = trim(heading_text);
  if (text.empty()) return false;
  static constexpr std::array<std::string_view, 10> kEnds{".",
                                                          ";",
                                                          "!",
                                                          "?",
                                                          "\xE3\x80\x82" /*。*/,
                                                          "\xEF\xBC\x9B" /*；*/,
                                                          "\xEF\xBC\x81" /*！*/,
                                                          "\xEF\xBC\x9F" /*？*/,
                                                          ".\"",
                                                          ".\xE2\x80\x9D" /* .” */};
  for (const auto end : kEnds) {
    if (text.size() >= end.size() && text.substr(text.size() - end.size()) == end) return true;
  }
  std::size_t words = 1;
  for (const char c : text) words += (c == ' ') ? 1 : 0;
  return words >= 16;
}

HeadingMatch OutlineBuilder::resolve(const HeadingMatch& match) const {
  // A single letter that reads as a roman numeral ("(i)", "C.") continues a running letter
  // sequence when one is open ("(h)" then "(i)").
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kLetterStyles{
      {{"paren-roman", "paren-alpha"},
       {"paren-ROMAN", "paren-ALPHA"},
       {"roman", "alpha-upper"},
       {"roman-lower", "alpha-lower"}}};
  HeadingMatch effective = match;
  for (const auto& [roman_style, letter_style] : kLetterStyles) {
    if (match.style != roman_style || match.numeral.size() != 1) continue;
    for (std::size_t k = stack_.size(); k-- > 0;) {
      if (stack_[k].style == letter_style) {
        const int letter = (match.numeral[0] | 0x20) - 'a' + 1;
        if (letter == stack_[k].value + 1) {
          effective.style = std::string(letter_style);
          effective.value = letter;
          effective.label = match.numeral;
        }
        break;
      }
      if (stack_[k].style == roman_style || stack_[k].md_level > 0) break;
    }
  }
  return effective;
}

bool OutlineBuilder::accepts(const HeadingMatch& raw) const {
  const HeadingMatch match = resolve(raw);
  // "2.1" opens only under "2" (or continues "2.0"): "6.1 percent of GNP" is prose.
  if (match.style.rfind("decimal", 0) == 0 && match.style != "decimal1") {
    const std::string parent = match.numeral.substr(0, match.numeral.rfind('.'));
    const bool parent_open = std::any_of(stack_.begin(), stack_.end(), [&](const Open& o) {
      return o.numeral == parent || o.numeral.substr(0, o.numeral.rfind('.')) == parent;
    });
    if (!parent_open) return false;
  }
  for (std::size_t k = stack_.size(); k-- > 0;) {
    if (stack_[k].style == match.style) return match.value == stack_[k].value + 1;
    // Markdown headings delimit numbering contexts: a style seen only above the nearest
    // markdown heading starts afresh below it.
    if (stack_[k].md_level > 0) break;
  }
  return match.value == 1 || match.any_start;
}

int OutlineBuilder::add_numbered(const HeadingMatch& raw, std::string heading_text) {
  if (!accepts(raw)) return -1;
  const HeadingMatch effective = resolve(raw);
  std::size_t keep = stack_.size();
  for (std::size_t k = stack_.size(); k-- > 0;) {
    if (stack_[k].style == effective.style) {
      keep = k;
      break;
    }
    if (stack_[k].md_level > 0) break;
  }
  stack_.resize(keep);
  return push(effective.style, effective.value, 0, effective.label, std::move(heading_text),
              effective.numeral);
}

int OutlineBuilder::add_markdown(int md_level, std::string heading_text) {
  std::size_t keep = 0;
  for (std::size_t k = stack_.size(); k-- > 0;) {
    if (stack_[k].md_level > 0 && stack_[k].md_level < md_level) {
      keep = k + 1;
      break;
    }
  }
  stack_.resize(keep);
  std::string label;
  if (auto numbering = match_numbering(heading_text)) label = numbering->label;
  return push("md" + std::to_string(md_level), 0, md_level, label, std::move(heading_text), label);
}

int OutlineBuilder::push(std::string style, int value, int md_level, const std::string& label,
                         std::string heading_text, const std::string& numeral) {
  Section section;
  section.heading = std::move(heading_text);
  section.parent = stack_.empty() ? -1 : stack_.back().section;
  section.level = static_cast<int>(stack_.size()) + 1;
  const int sibling = stack_.empty() ? ++top_level_count_ : ++stack_.back().children;
  const std::string own = label.empty() ? std::to_string(sibling) : label;
  if (section.parent >= 0) {
    const std::string& parent_number = sections_[static_cast<std::size_t>(section.parent)].number;
    // "2.3" under "2" already carries its parent's number.
    const bool carries_parent = own.size() > parent_number.size() &&
                                own.compare(0, parent_number.size(), parent_number) == 0 &&
                                own[parent_number.size()] == '.';
    section.number = carries_parent ? own : parent_number + "." + own;
  } else {
    section.number = own;
  }
  sections_.push_back(std::move(section));
  const int index = static_cast<int>(sections_.size()) - 1;
  stack_.push_back(Open{std::move(style), value, index, md_level, 0, numeral});
  return index;
}

}  // namespace concord::ingest
