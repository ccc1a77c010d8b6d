// Everything Concord stores in a Xapian database: term prefixes, value slots, record kinds.
// Internal to the library (index and search modules); front ends never see it.
//
// Two kinds of Xapian documents live in one database:
//  - paragraph entries (term "KP"): the searchable units, with text terms (stemmed, with
//    positions), field terms, boolean filter terms, value slots for facets and sorting, and
//    a compact JSON record as data;
//  - document records (term "KD"): one per paper, holding its metadata and outline once, plus
//    the paper's vocabulary of unstemmed words (for wildcard expansion).
#pragma once

#include <string>
#include <string_view>

#include <xapian.h>

namespace concord::schema {

// Bump when the layout changes in a way older indexes cannot be read with.
inline constexpr std::string_view kVersion = "3";
inline constexpr std::string_view kVersionKey = "concord:schema";
inline constexpr std::string_view kStemmerKey = "concord:stemmer";

// Record kinds.
inline constexpr std::string_view kParagraphKind = "KP";
inline constexpr std::string_view kDocumentKind = "KD";

// Unique-id terms (Xapian convention 'Q').
inline constexpr std::string_view kParagraphId = "Q";  // Q<doc>:<ordinal>
inline constexpr std::string_view kDocumentId = "QD";  // QD<doc>

// Free-text field prefixes (positional, wdf 0 so they filter and phrase-match without
// lengthening the paragraph for BM25).
inline constexpr std::string_view kTitle = "S";
inline constexpr std::string_view kSection = "H";

// Boolean filter prefixes on paragraphs.
inline constexpr std::string_view kDoc = "XD";
inline constexpr std::string_view kYear = "XY";
inline constexpr std::string_view kLanguage = "XL";
inline constexpr std::string_view kCountry = "XC";
inline constexpr std::string_view kIssuer = "XI";
inline constexpr std::string_view kType = "XK";
inline constexpr std::string_view kTopic = "XT";
inline constexpr std::string_view kRegion = "XR";

// Vocabulary of unstemmed words, on document records only.
inline constexpr std::string_view kWord = "W";

// Value slots on paragraphs.
enum Slot : Xapian::valueno {
  kSlotDoc = 0,    // document id, 0x1F, title (facet label without a lookup)
  kSlotOrder = 1,  // document id + ordinal, sortable: ties and "document order"
  kSlotDate = 2,   // ISO date or "" (sorts undated first)
  kSlotYear = 3,   // "2023"
  kSlotLanguage = 4,
  kSlotIssuer = 5,       // issuer key (slug)
  kSlotCountry = 6,      // issuer country: id, 0x1F, name (or the name as given)
  kSlotType = 7,         // document type key
  kSlotTopics = 8,       // sorted topic ids joined by '\x1f' (a facet key, see facets)
  kSlotRegions = 9,      // sorted region ids mentioned, joined by '\x1f'
  kSlotDocTopics = 10,   // document id, 0x1E, the topics value: counts of papers per topic
  kSlotDocRegions = 11,  // document id, 0x1E, the regions value
};

inline constexpr std::string_view kTaxonomyKey = "concord:taxonomy";
inline constexpr std::string_view kGazetteerKey = "concord:gazetteer";

inline std::string paragraph_id(std::string_view doc_id, std::uint32_t ordinal) {
  return std::string(doc_id) + ":" + std::to_string(ordinal);
}

// Sortable order key: the doc id, a NUL, then the ordinal as 8 zero-padded digits.
std::string order_key(std::string_view doc_id, std::uint32_t ordinal);

inline std::string term(std::string_view prefix, std::string_view value) {
  std::string t(prefix);
  t.append(value);
  return t;
}

// Xapian terms are limited to 245 bytes; longer boolean values are cut at a UTF-8 boundary.
std::string bounded_term(std::string_view prefix, std::string_view value);

}  // namespace concord::schema
