// Bytes to valid UTF-8 text. Internal to the ingest module.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace concord::ingest {

// Offsets in decoded text back to byte offsets in the source, which a BOM, repaired or
// dropped bytes and re-encoded characters move. Kept as the points where the distance
// changes; between them offsets move together.
class SourceMap {
 public:
  // From `decoded` on, decoded offset d is source offset source + (d - decoded).
  void mark(std::size_t decoded, std::size_t source);
  [[nodiscard]] std::size_t to_source(std::size_t decoded) const;

 private:
  std::vector<std::pair<std::size_t, std::size_t>> marks_;  // increasing decoded offsets
};

struct DecodedText {
  std::string text;      // valid UTF-8 without BOM or NUL bytes
  SourceMap source;      // offsets in text -> byte offsets in the file
  std::string encoding;  // "utf-8", "utf-16le", "windows-1252", ...
  std::vector<std::string> warnings;
};

// Decodes text: UTF-8 (with or without BOM), UTF-16 with BOM, or a declared legacy charset.
// Invalid UTF-8 that looks like a legacy single-byte encoding is decoded as Windows-1252;
// isolated bad sequences become U+FFFD with a warning naming the first offset.
DecodedText decode_text(std::string_view bytes, std::string_view declared_charset = {});

// Heuristic for files that are not text at all (executables, images, archives).
bool looks_binary(std::string_view bytes);

}  // namespace concord::ingest
