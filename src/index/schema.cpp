// Helpers for building terms and keys.
#include "schema.hpp"

#include <algorithm>
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

std::string date_sort_key(std::string_view date, std::string_view order_key, bool newest_first) {
  std::string key(1, date.empty() ? '2' : '1');
  if (!date.empty()) {
    // Padded to 10 bytes with spaces: "2023" sorts before "2023-01-01" (' ' < '-' < digits).
    const std::size_t used = std::min<std::size_t>(date.size(), 10);
    key.append(date.substr(0, used));
    key.append(10 - used, ' ');
    if (newest_first) {
      for (std::size_t i = 1; i < key.size(); ++i) {
        key[i] = static_cast<char>(0x7F - static_cast<unsigned char>(key[i]));
      }
    }
  }
  key.append(order_key);
  return key;
}

std::string facet_key(const std::vector<std::string>& fields) {
  std::string key;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) key.push_back('\x1f');
    // A separator inside a field (a hostile sidecar) would shift every later field.
    for (const char c : fields[i]) {
      if (c != '\x1e' && c != '\x1f') key.push_back(c);
    }
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
