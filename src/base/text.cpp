// UTF-8 repair, HTML escaping and small string helpers.
#include "concord/text.hpp"

#include <array>

namespace concord {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

// Length of the well-formed sequence at s[i], or 0 with `maximal` set to the length of the
// maximal ill-formed subpart (Unicode 15, table 3-7).
std::size_t well_formed_length(std::string_view s, std::size_t i, std::size_t& maximal) {
  const auto byte = [&](std::size_t k) -> unsigned { return static_cast<unsigned char>(s[k]); };
  const unsigned b0 = byte(i);
  maximal = 1;
  if (b0 < 0x80) return 1;
  std::size_t need;
  unsigned lo = 0x80, hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    need = 1;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    need = 2;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    need = 3;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  for (std::size_t k = 1; k <= need; ++k) {
    if (i + k >= s.size()) return 0;
    const unsigned b = byte(i + k);
    const unsigned l = (k == 1) ? lo : 0x80u;
    const unsigned h = (k == 1) ? hi : 0xBFu;
    if (b < l || b > h) return 0;
    maximal = k + 1;
  }
  return need + 1;
}

}  // namespace

Utf8Repair repair_utf8(std::string_view bytes) {
  Utf8Repair r{{}, 0, std::string_view::npos, 0, {}};
  r.text.reserve(bytes.size());
  std::size_t i = 0;
  while (i < bytes.size()) {
    // Fast path for ASCII runs.
    if (static_cast<unsigned char>(bytes[i]) < 0x80) {
      if (bytes[i] == '\0') {
        ++r.nul_bytes;
        r.shifts.emplace_back(r.text.size(), i + 1);
      } else {
        r.text.push_back(bytes[i]);
      }
      ++i;
      continue;
    }
    std::size_t maximal = 1;
    const std::size_t n = well_formed_length(bytes, i, maximal);
    if (n > 0) {
      r.text.append(bytes.substr(i, n));
      i += n;
    } else {
      if (r.invalid_sequences == 0) r.first_invalid = i;
      ++r.invalid_sequences;
      append_utf8(r.text, kReplacement);
      i += maximal;
      r.shifts.emplace_back(r.text.size(), i);
    }
  }
  return r;
}

bool is_valid_utf8(std::string_view bytes) {
  std::size_t i = 0;
  while (i < bytes.size()) {
    std::size_t maximal = 1;
    const std::size_t n = well_formed_length(bytes, i, maximal);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

void append_html_escaped(std::string& out, std::string_view text) {
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  append_html_escaped(out, text);
  return out;
}

char32_t next_code_point(std::string_view text, std::size_t& i) {
  const auto c = static_cast<unsigned char>(text[i]);
  const std::size_t n = std::min(utf8_sequence_length(c), text.size() - i);
  char32_t cp;
  switch (n) {
    case 1:
      cp = c;
      break;
    case 2:
      cp = c & 0x1F;
      break;
    case 3:
      cp = c & 0x0F;
      break;
    default:
      cp = c & 0x07;
      break;
  }
  for (std::size_t k = 1; k < n; ++k)
    cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
  i += n;
  return cp;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

namespace {
bool is_space_code_point(char32_t cp) {
  switch (cp) {
    case ' ':
    case '\t':
    case '\n':
    case '\r':
    case '\f':
    case '\v':
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
    case 0xFEFF:
    case 0x200B:
      return true;
    default:
      return cp >= 0x2000 && cp <= 0x200A;
  }
}
}  // namespace

std::string_view trim(std::string_view text) {
  std::size_t begin = 0;
  while (begin < text.size()) {
    std::size_t next = begin;
    if (!is_space_code_point(next_code_point(text, next))) break;
    begin = next;
  }
  std::size_t end = text.size();
  while (end > begin) {
    std::size_t start = end - 1;
    while (start > begin && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
    std::size_t probe = start;
    if (!is_space_code_point(next_code_point(text, probe))) break;
    end = start;
  }
  return text.substr(begin, end - begin);
}

std::string slugify(std::string_view text) {
  std::string out;
  bool pending_dash = false;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u == '_') {
      if (pending_dash && !out.empty()) out.push_back('-');
      pending_dash = false;
      out.push_back(c);
    } else if (u >= 'A' && u <= 'Z') {
      if (pending_dash && !out.empty()) out.push_back('-');
      pending_dash = false;
      out.push_back(static_cast<char>(u - 'A' + 'a'));
    } else {
      pending_dash = true;
    }
  }
  return out;
}

std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

}  // namespace concord
