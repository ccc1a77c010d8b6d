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

namespace {

// Terms found on other records: record kinds other than KP, document ids, the vocabulary.
bool paragraph_term(std::string_view term) {
  if (term == kParagraphKind) return true;
  return !term.empty() && term[0] != 'K' && term[0] != 'Q' && term[0] != kWord[0];
}

}  // namespace

bool matches_only_paragraphs(const Xapian::Query& query) {
  using Q = Xapian::Query;
  const std::size_t n = query.get_num_subqueries();
  const auto any_of = [&](std::size_t first, std::size_t last) {
    for (std::size_t k = first; k < last; ++k) {
      if (matches_only_paragraphs(query.get_subquery(k))) return true;
    }
    return false;
  };
  switch (query.get_type()) {
    case Q::LEAF_TERM:
      return paragraph_term(*query.get_terms_begin());
    case Q::LEAF_MATCH_NOTHING:
      return true;
    case Q::OP_AND:  // every subquery must match: one confined to paragraphs is enough
    case Q::OP_FILTER:
    case Q::OP_NEAR:
    case Q::OP_PHRASE:
      return any_of(0, n);
    case Q::OP_AND_NOT:  // only the first subquery decides what can match
    case Q::OP_AND_MAYBE:
    case Q::OP_SCALE_WEIGHT:
      return any_of(0, std::min<std::size_t>(n, 1));
    case Q::OP_OR:  // any subquery can match alone: all must be confined
    case Q::OP_XOR:
    case Q::OP_SYNONYM:
    case Q::OP_MAX:
    case Q::OP_ELITE_SET:
      for (std::size_t k = 0; k < n; ++k) {
        if (!matches_only_paragraphs(query.get_subquery(k))) return false;
      }
      return n > 0;
    default:
      return false;
  }
}

}  // namespace concord::schema
