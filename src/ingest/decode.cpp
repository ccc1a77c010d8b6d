// Character set detection and conversion to UTF-8 through ICU converters.
#include "decode.hpp"

#include <algorithm>
#include <memory>
#include <vector>

#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>

#include "concord/error.hpp"
#include "concord/text.hpp"

namespace concord::ingest {
namespace {

// Converts through UTF-16 with ICU's per-unit source offsets, so every character's offset in
// the file is known. NUL characters are dropped, as repair_utf8 drops NUL bytes.
std::string convert_to_utf8(std::string_view bytes, const char* charset, std::size_t base,
                            SourceMap& source) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UConverter, decltype(&ucnv_close)> conv(ucnv_open(charset, &status), &ucnv_close);
  if (U_FAILURE(status)) {
    throw Error(ErrorCode::kInvalidInput, std::string("unknown character set '") + charset + "'");
  }
  // Charsets give at most one UTF-16 unit per byte; twice that leaves room for odd ones.
  std::vector<UChar> units(bytes.size() * 2 + 16);
  std::vector<int32_t> offsets(units.size());
  UChar* target = units.data();
  int32_t* offset = offsets.data();
  const char* in = bytes.data();
  ucnv_toUnicode(conv.get(), &target, units.data() + units.size(), &in, bytes.data() + bytes.size(),
                 offset, true, &status);
  if (U_FAILURE(status)) {
    throw Error(ErrorCode::kInvalidInput,
                std::string("cannot decode text as ") + charset + ": " + u_errorName(status));
  }
  const auto count = static_cast<std::size_t>(target - units.data());
  std::string out;
  out.reserve(count * 2);
  for (std::size_t k = 0; k < count; ++k) {
    char32_t c = units[k];
    if (c >= 0xD800 && c <= 0xDBFF && k + 1 < count && units[k + 1] >= 0xDC00 &&
        units[k + 1] <= 0xDFFF) {
      c = 0x10000 + ((c - 0xD800) << 10) + (units[k + 1] - 0xDC00);
      ++k;
    } else if (c >= 0xD800 && c <= 0xDFFF) {
      c = 0xFFFD;
    }
    if (c == 0) continue;
    const std::size_t at = offsets[k] >= 0 ? static_cast<std::size_t>(offsets[k]) : bytes.size();
    source.mark(out.size(), base + at);
    append_utf8(out, c);
  }
  source.mark(out.size(), base + bytes.size());
  return out;
}

// The charset ICU's detector is confident of, among the multi-byte legacy encodings that the
// Windows-1252 heuristic cannot recognise; empty otherwise.
std::string detect_charset(std::string_view bytes) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UCharsetDetector, decltype(&ucsdet_close)> detector(ucsdet_open(&status),
                                                                      &ucsdet_close);
  if (U_FAILURE(status)) return {};
  // Markup is ASCII and would only dilute the statistics.
  ucsdet_enableInputFilter(detector.get(), true);
  const std::string_view sample = bytes.substr(0, 64 * 1024);
  ucsdet_setText(detector.get(), sample.data(), static_cast<int32_t>(sample.size()), &status);
  const UCharsetMatch* match = ucsdet_detect(detector.get(), &status);
  if (U_FAILURE(status) || match == nullptr) return {};
  const int32_t confidence = ucsdet_getConfidence(match, &status);
  const char* name = ucsdet_getName(match, &status);
  if (U_FAILURE(status) || name == nullptr || confidence < 50) return {};
  const std::string charset(name);
  for (const char* known : {"GB18030", "Shift_JIS", "EUC-JP", "EUC-KR", "Big5", "ISO-2022-JP",
                            "ISO-2022-CN", "ISO-2022-KR"}) {
    if (charset == known) return charset;
  }
  return {};
}

}  // namespace

bool looks_binary(std::string_view bytes) {
  const std::string_view head = bytes.substr(0, 64 * 1024);
  if (head.size() >= 2 &&
      ((head[0] == '\xFF' && head[1] == '\xFE') || (head[0] == '\xFE' && head[1] == '\xFF'))) {
    return false;  // UTF-16 with BOM is text
  }
  std::size_t control = 0;
  for (const char ch : head) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == 0) return true;
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != '\v' && c != 0x1B) {
      ++control;
    }
  }
  return !head.empty() && control * 20 > head.size();  // more than 5% control characters
}

DecodedText decode_text(std::string_view bytes, std::string_view declared_charset) {
  DecodedText out;
  std::size_t bom = 0;
  if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF") {
    bytes.remove_prefix(3);
    bom = 3;
    out.source.mark(0, bom);
  } else if (bytes.size() >= 2 && bytes[0] == '\xFF' && bytes[1] == '\xFE') {
    out.text = convert_to_utf8(bytes.substr(2), "UTF-16LE", 2, out.source);
    out.encoding = "utf-16le";
    return out;
  } else if (bytes.size() >= 2 && bytes[0] == '\xFE' && bytes[1] == '\xFF') {
    out.text = convert_to_utf8(bytes.substr(2), "UTF-16BE", 2, out.source);
    out.encoding = "utf-16be";
    return out;
  }
  // A byte order mark says more than a declaration inside the text.
  std::string charset(bom > 0 ? std::string_view() : declared_charset);
  for (char& c : charset) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  if (!charset.empty() && charset != "utf-8" && charset != "utf8") {
    out.text = convert_to_utf8(bytes, charset.c_str(), 0, out.source);
    out.encoding = charset;
    return out;
  }
  Utf8Repair repaired = repair_utf8(bytes);
  out.encoding = "utf-8";
  if (repaired.nul_bytes > 0) {
    out.warnings.push_back(std::to_string(repaired.nul_bytes) + " NUL bytes removed");
  }
  const auto keep_repaired = [&] {
    for (const auto& [text_at, byte_at] : repaired.shifts) out.source.mark(text_at, bom + byte_at);
    out.text = std::move(repaired.text);
  };
  if (repaired.invalid_sequences == 0) {
    keep_repaired();
    return out;
  }
  // Text in a legacy single-byte code page has almost no valid multi-byte sequences, and its
  // non-ASCII bytes are letters inside words ("Caf\xE9"). Then decoding it as Windows-1252
  // recovers the real characters; stray bytes between words are damage, not an encoding.
  std::size_t non_ascii = 0, in_words = 0;
  const auto is_letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (static_cast<unsigned char>(bytes[i]) < 0x80) continue;
    ++non_ascii;
    if ((i > 0 && is_letter(bytes[i - 1])) || (i + 1 < bytes.size() && is_letter(bytes[i + 1]))) {
      ++in_words;
    }
  }
  if (repaired.invalid_sequences * 10 >= non_ascii * 9 && in_words * 10 >= non_ascii * 8) {
    out.text = convert_to_utf8(bytes, "windows-1252", 0, out.source);
    out.encoding = "windows-1252";
    out.warnings.push_back("not UTF-8; decoded as Windows-1252");
    return out;
  }
  // Undeclared multi-byte legacy text (GBK, Shift_JIS, Big5, EUC-KR) is not Windows-1252;
  // ICU's statistical detector recognises these well on text of any length.
  if (const std::string detected = detect_charset(bytes); !detected.empty()) {
    out.text = convert_to_utf8(bytes, detected.c_str(), 0, out.source);
    out.encoding = detected;
    out.warnings.push_back("not UTF-8 and no charset declared; detected " + detected);
    return out;
  }
  out.warnings.push_back("invalid UTF-8: " + std::to_string(repaired.invalid_sequences) +
                         " sequence(s) replaced by U+FFFD, first at byte " +
                         std::to_string(repaired.first_invalid + bom));
  keep_repaired();
  return out;
}

void SourceMap::mark(std::size_t decoded, std::size_t source) {
  if (!marks_.empty()) {
    const auto& [d, s] = marks_.back();
    if (source >= s && source - s == decoded - d) return;  // no change in distance
    if (d == decoded) {
      marks_.back().second = source;
      return;
    }
  } else if (decoded == source) {
    return;
  }
  marks_.emplace_back(decoded, source);
}

std::size_t SourceMap::to_source(std::size_t decoded) const {
  auto it = std::upper_bound(marks_.begin(), marks_.end(), decoded,
                             [](std::size_t d, const auto& m) { return d < m.first; });
  if (it == marks_.begin()) return decoded;
  --it;
  return it->second + (decoded - it->first);
}

}  // namespace concord::ingest
