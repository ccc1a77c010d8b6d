// UTF-8 helpers: every string that enters Concord passes through repair_utf8 once, so the
// analyzer, Xapian and the front ends all see the same valid text.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace concord {

// Result of repairing bytes that should be UTF-8.
struct Utf8Repair {
  std::string text;               // valid UTF-8, NUL bytes removed
  std::size_t invalid_sequences;  // how many ill-formed sequences became U+FFFD
  std::size_t first_invalid;      // byte offset of the first one (npos if none)
  std::size_t nul_bytes;          // NUL bytes dropped
  // (offset in text, offset in bytes) after each replacement or dropped byte, so offsets in
  // the repaired text can be traced back to the input.
  std::vector<std::pair<std::size_t, std::size_t>> shifts;
};

// Replaces each maximal ill-formed subsequence with U+FFFD (the Unicode "substitution of
// maximal subparts" practice) and drops NUL bytes. Never throws on content.
Utf8Repair repair_utf8(std::string_view bytes);

// True when bytes are well-formed UTF-8 (overlongs, surrogates and > U+10FFFF are rejected).
bool is_valid_utf8(std::string_view bytes);

// Escapes &, <, >, " and ' for HTML text and attribute contexts.
std::string html_escape(std::string_view text);
void append_html_escaped(std::string& out, std::string_view text);

// Trims ASCII and Unicode white space (NBSP, ideographic space, ...) from both ends.
std::string_view trim(std::string_view text);

// Lower-case ASCII slug: letters and digits kept, runs of anything else become one '-'.
std::string slugify(std::string_view text);

// Length of the UTF-8 sequence that starts with lead byte c (1 for invalid leads).
inline std::size_t utf8_sequence_length(unsigned char c) {
  if (c < 0x80) return 1;
  if ((c >> 5) == 0x6) return 2;
  if ((c >> 4) == 0xE) return 3;
  if ((c >> 3) == 0x1E) return 4;
  return 1;
}

// Decodes the code point at text[i] (text must be valid UTF-8) and advances i.
char32_t next_code_point(std::string_view text, std::size_t& i);

void append_utf8(std::string& out, char32_t cp);

// Cuts text to at most max_bytes without splitting a UTF-8 sequence.
std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes);

}  // namespace concord
