// Bytes to valid UTF-8 text. Internal to the ingest module.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace concord::ingest {

struct DecodedText {
  std::string text;              // valid UTF-8 without BOM or NUL bytes
  std::size_t offset_shift = 0;  // bytes before text[0] in the source (a BOM)
  std::string encoding;          // "utf-8", "utf-16le", "windows-1252", ...
  std::vector<std::string> warnings;
};

// Decodes text: UTF-8 (with or without BOM), UTF-16 with BOM, or a declared legacy charset.
// Invalid UTF-8 that looks like a legacy single-byte encoding is decoded as Windows-1252;
// isolated bad sequences become U+FFFD with a warning naming the first offset.
DecodedText decode_text(std::string_view bytes, std::string_view declared_charset = {});

// Heuristic for files that are not text at all (executables, images, archives).
bool looks_binary(std::string_view bytes);

}  // namespace concord::ingest
