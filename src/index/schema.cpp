// Helpers for building terms and keys.
#include "schema.hpp"

#include <cstdio>

#include "concord/text.hpp"

namespace concord::schema {

std::string order_key(std::string_view doc_id, std::uint32_t ordinal) {
  char digits[16];
  std::snprintf(digits, sizeof digits, "%08u", ordinal);
  std::string key(doc_id);
  key.push_back('\0');
  key.append(digits);
  return key;
}

std::string facet_key(const std::vector<std::string>& fields) {
  std::string key;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) key.push_back('\x1f');
    key += fields[i];
  }
  return key;
}

std::string bounded_term(std::string_view prefix, std::string_view value) {
  constexpr std::size_t kMaxTerm = 240;
  std::string t(prefix);
  t.append(utf8_prefix(value, kMaxTerm - prefix.size()));
  return t;
}

}  // namespace concord::schema
