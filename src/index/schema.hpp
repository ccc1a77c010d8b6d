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
#include <vector>

#include <xapian.h>

namespace concord::schema {

// Bump when the layout changes in a way older indexes cannot be read with.
inline constexpr std::string_view kVersion = "5";
inline constexpr std::string_view kVersionKey = "concord:schema";
inline constexpr std::string_view kStemmerKey = "concord:stemmer";

// Record kinds.
inline constexpr std::string_view kParagraphKind = "KP";
inline constexpr std::string_view kDocumentKind = "KD";
inline constexpr std::string_view kVocabularyKind = "KV";  // carries W terms, see Vocabulary

// Unique-id term of document records (Xapian convention 'Q'). Paragraphs have none: they are
// found through XD<doc> and the order slot, which saves a posting list per paragraph.
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

// Vocabulary of unstemmed words (wildcards expand through it): each word once per writer, on
// vocabulary records (KV). Indexes written before that carry them on document records.
inline constexpr std::string_view kWord = "W";

// Two adjacent frequent words, "P<stem> <stem>", no positions, wdf 0: see word_pairs.hpp.
inline constexpr std::string_view kWordPair = "P";

// Value slots on paragraphs. Few on purpose: each slot costs the writer a map insertion per
// paragraph and the searcher a value fetch per match.
enum Slot : Xapian::valueno {
  kSlotDoc = 0,         // document id: collapsing to N hits per paper
  kSlotOrder = 1,       // document id + ordinal, sortable: ties and "document order"
  kSlotDate = 2,        // ISO date or "" (date sorts, year ranges)
  kSlotFacets = 3,      // the paper-level facet key, see facet_key(): one spy counts them all
  kSlotTopics = 4,      // sorted topic ids joined by 0x1F
  kSlotRegions = 5,     // sorted region ids mentioned, joined by 0x1F
  kSlotDocTopics = 6,   // document id, 0x1E, the topics value: counts of papers per topic
  kSlotDocRegions = 7,  // document id, 0x1E, the regions value
  // Sort keys, one per direction, because Xapian's remote backend sorts by one value only
  // (no KeyMaker): date then document order, undated paragraphs last. See date_sort_key().
  kSlotOldestFirst = 8,
  kSlotNewestFirst = 9,
};

// The sort key of a paragraph for date order: dated paragraphs ("1", the date padded to 10
// bytes, inverted byte by byte for newest first) before undated ones ("2"), then the order
// key, so that same-day paragraphs stay in paper and paragraph order in both directions.
std::string date_sort_key(std::string_view date, std::string_view order_key, bool newest_first);

// The fields of a facet key, in order, separated by 0x1F: doc id, year, language (of the
// paragraph), issuer, country ("CHN" 0x1D "China", or the name as given), type. Short on
// purpose: the spy keeps one map entry per distinct key and compares keys on every match;
// labels such as titles are looked up for the values shown.
enum FacetKeyField {
  kKeyDoc,
  kKeyYear,
  kKeyLanguage,
  kKeyIssuer,
  kKeyCountry,
  kKeyType,
  kKeyFields
};
std::string facet_key(const std::vector<std::string>& fields);

inline constexpr std::string_view kTaxonomyKey = "concord:taxonomy";
inline constexpr std::string_view kGazetteerKey = "concord:gazetteer";
inline constexpr std::string_view kWordPairsKey = "concord:word-pairs";

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

// True when `query` can match paragraph entries only, because every way it can match needs a
// text, field or filter term, and those live on paragraphs alone. Searches then skip the
// filter on the paragraph kind: intersecting with a posting list as long as the index made
// a common word's match about twice as slow (UNGDC, "peace": 21.5 against 12.0 ms). False when
// unsure (pure negations, value ranges, match-all), so the caller keeps the filter.
bool matches_only_paragraphs(const Xapian::Query& query);

}  // namespace concord::schema
