// Character set detection and conversion to UTF-8 through ICU converters.
#include "decode.hpp"

#include <memory>

#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>

#include "concord/error.hpp"
#include "concord/text.hpp"

namespace concord::ingest {
namespace {

std::string convert_to_utf8(std::string_view bytes, const char* charset) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UConverter, decltype(&ucnv_close)> conv(ucnv_open(charset, &status), &ucnv_close);
  if (U_FAILURE(status)) {
    throw Error(ErrorCode::kInvalidInput, std::string("unknown character set '") + charset + "'");
  }
  // Worst case: every byte becomes a 3-byte sequence (BMP), plus slack.
  std::string out(bytes.size() * 3 + 16, '\0');
  status = U_ZERO_ERROR;
  const int32_t written =
      ucnv_toAlgorithmic(UCNV_UTF8, conv.get(), out.data(), static_cast<int32_t>(out.size()),
                         bytes.data(), static_cast<int32_t>(bytes.size()), &status);
  if (U_FAILURE(status)) {
    throw Error(ErrorCode::kInvalidInput,
                std::string("cannot decode text as ") + charset + ": " + u_errorName(status));
  }
  out.resize(static_cast<std::size_t>(written));
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
  if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF") {
    bytes.remove_prefix(3);
    out.offset_shift = 3;
  } else if (bytes.size() >= 2 && bytes[0] == '\xFF' && bytes[1] == '\xFE') {
    out.text = convert_to_utf8(bytes.substr(2), "UTF-16LE");
    out.encoding = "utf-16le";
    out.text = repair_utf8(out.text).text;
    return out;
  } else if (bytes.size() >= 2 && bytes[0] == '\xFE' && bytes[1] == '\xFF') {
    out.text = convert_to_utf8(bytes.substr(2), "UTF-16BE");
    out.encoding = "utf-16be";
    out.text = repair_utf8(out.text).text;
    return out;
  }
  // A byte order mark says more than a declaration inside the text.
  std::string charset(out.offset_shift > 0 ? std::string_view() : declared_charset);
  for (char& c : charset) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  if (!charset.empty() && charset != "utf-8" && charset != "utf8") {
    out.text = repair_utf8(convert_to_utf8(bytes, charset.c_str())).text;
    out.encoding = charset;
    return out;
  }
  Utf8Repair repaired = repair_utf8(bytes);
  out.encoding = "utf-8";
  if (repaired.nul_bytes > 0) {
    out.warnings.push_back(std::to_string(repaired.nul_bytes) + " NUL bytes removed");
  }
  if (repaired.invalid_sequences == 0) {
    out.text = std::move(repaired.text);
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
    out.text = repair_utf8(convert_to_utf8(bytes, "windows-1252")).text;
    out.encoding = "windows-1252";
    out.warnings.push_back("not UTF-8; decoded as Windows-1252");
    return out;
  }
  // Undeclared multi-byte legacy text (GBK, Shift_JIS, Big5, EUC-KR) is not Windows-1252;
  // ICU's statistical detector recognises these well on text of any length.
  if (const std::string detected = detect_charset(bytes); !detected.empty()) {
    out.text = repair_utf8(convert_to_utf8(bytes, detected.c_str())).text;
    out.encoding = detected;
    out.warnings.push_back("not UTF-8 and no charset declared; detected " + detected);
    return out;
  }
  out.warnings.push_back("invalid UTF-8: " + std::to_string(repaired.invalid_sequences) +
                         " sequence(s) replaced by U+FFFD, first at byte " +
                         std::to_string(repaired.first_invalid + out.offset_shift));
  out.text = std::move(repaired.text);
  return out;
}

}  // namespace concord::ingest
