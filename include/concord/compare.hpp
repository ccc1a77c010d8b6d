// Comparing wording: align two papers' paragraphs with word diffs, find paragraphs that
// reuse a passage's wording anywhere in the index, and trace a phrase through time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "concord/index.hpp"
#include "concord/paper.hpp"
#include "concord/search.hpp"

namespace concord {

// ---- Two papers --------------------------------------------------------------------------

// A paper to compare: from the index (by id) or parsed from a file.
struct ComparableDoc {
  DocumentMeta meta;
  std::vector<Section> sections;
  std::vector<Paragraph> paragraphs;
};

// Loads a paper by document id from the index, or (when allow_files) by path from disk when
// `ref` names a file. Throws Error(kNotFound) when it is neither, kInvalidInput when it has
// no paragraphs. The HTTP API never allows files.
ComparableDoc load_comparable(const std::string& ref, const IndexReader* reader, bool allow_files);

struct CompareOptions {
  std::size_t min_shared_words = 5;  // shared phrases shorter than this are not reported
  double min_containment = 0.4;      // share of a paragraph's word pairs found in its match
};

// One piece of a word diff: text that both have, only A has, or only B has.
struct DiffOp {
  enum class Kind { kEqual, kDelete, kInsert };
  Kind kind = Kind::kEqual;
  std::string text;  // original text (A's for equal and delete, B's for insert)
};

struct SharedPhrase {
  std::string text;  // as written in A
  std::size_t words = 0;
};

// Paragraphs of A aligned with paragraphs of B: one-to-one, split (one A, several B) or
// merged (several A, one B).
struct AlignedPair {
  std::vector<std::uint32_t> a;  // ordinals in A
  std::vector<std::uint32_t> b;  // ordinals in B
  double similarity = 0;         // 0..1, Dice coefficient over word pairs
  std::vector<DiffOp> diff;      // A's text against B's, word by word
  std::vector<SharedPhrase> shared;
  std::size_t a_words = 0;        // words in A's side
  std::size_t a_words_found = 0;  // of which unchanged in B
  // "one-to-one", "split", "merge", or "regrouped" (several on both sides: a split paragraph
  // whose part was merged with another). Every paragraph is in one pair at most.
  [[nodiscard]] std::string kind() const;
};

struct SectionShare {
  std::string number;
  std::string heading;
  std::size_t words = 0;        // A's words in the section
  std::size_t words_found = 0;  // of which found unchanged in B
};

struct Comparison {
  ComparableDoc a, b;
  std::vector<AlignedPair> pairs;     // in A's order
  std::vector<std::uint32_t> a_only;  // A's paragraphs with no counterpart
  std::vector<std::uint32_t> b_only;
  std::size_t a_words = 0, a_words_found = 0;
  std::vector<SectionShare> sections;  // A's sections, in order
  bool identical = false;              // same wording throughout
  double took_ms = 0;
};

Comparison compare_papers(const ComparableDoc& a, const ComparableDoc& b,
                          const CompareOptions& options = {});

// ---- Reuse search --------------------------------------------------------------------------

struct SimilarRequest {
  std::string paragraph_id;  // the source: a paragraph of the index ...
  std::string text;          // ... or any text
  std::size_t limit = 10;
  std::size_t min_shared_words = 5;
  bool same_document = false;  // also report paragraphs of the source's own paper
  std::vector<Filter> filters;
};

struct SimilarHit {
  SearchHit hit;                 // id, doc, section, paragraph, text; snippet marks shared spans
  std::size_t shared_words = 0;  // source words covered by shared phrases
  std::size_t longest = 0;       // longest shared phrase, in words
  double share = 0;              // shared_words / source words
  std::vector<SharedPhrase> phrases;  // as written in the hit
};

struct SimilarResponse {
  std::optional<SearchHit> source;  // the source paragraph, when it is one of the index
  std::string source_id;
  std::string source_text;
  std::size_t source_words = 0;
  std::size_t candidates = 0;  // paragraphs the index proposed
  std::size_t probes = 0;      // phrase queries run
  // Any paragraph sharing a run of this many words with the source holds one of the probes
  // (it is a candidate, checked in the order of how many probes it holds).
  std::size_t guaranteed_run = 0;
  std::vector<SimilarHit> results;
  // Shards that did not answer: their paragraphs were neither candidates nor hits.
  std::vector<std::string> unavailable_shards;
  double took_ms = 0;
};

// Finds paragraphs that share long word sequences with the source. Candidates come from the
// index (phrase queries on the source's distinctive word sequences), never from a scan of
// all paragraphs; each candidate is then measured by greedy string tiling. Not safe for
// concurrent use; the reader must outlive it.
class ReuseFinder {
 public:
  explicit ReuseFinder(IndexReader& reader);
  ~ReuseFinder();
  SimilarResponse find(const SimilarRequest& request);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// ---- Phrase tracing --------------------------------------------------------------------------

struct TraceRequest {
  std::string phrase;
  std::size_t slack = 0;  // light variation: up to this many extra words inside the phrase
  std::vector<Filter> filters;
  std::size_t examples = 10;
};

struct TraceYear {
  int year = 0;
  std::uint64_t paragraphs = 0;         // paragraphs containing the phrase
  std::uint64_t documents = 0;          // papers containing it
  std::uint64_t corpus_paragraphs = 0;  // all paragraphs of that year (for rates)
};

struct TraceResponse {
  std::string phrase;
  std::string query;  // the query that was run
  std::uint64_t paragraphs = 0;
  std::uint64_t documents = 0;
  std::vector<FacetValue> per_document;  // most frequent first
  std::vector<TraceYear> timeline;       // every year from the first to the latest
  std::uint64_t undated_paragraphs = 0;  // occurrences in papers without a date: not on the
                                         // timeline, never first or latest
  std::optional<SearchHit> first;        // earliest dated occurrence
  std::optional<SearchHit> latest;
  std::vector<SearchHit> examples;  // in date order
  // Shards that did not answer: the counts, timeline and occurrences miss their papers.
  std::vector<std::string> unavailable_shards;
  double took_ms = 0;
};

TraceResponse trace_phrase(IndexReader& reader, const TraceRequest& request);

}  // namespace concord
