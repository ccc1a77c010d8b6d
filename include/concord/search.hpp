// Search: a query string and filters to ranked paragraphs with snippets and facet counts.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "concord/error.hpp"
#include "concord/index.hpp"

namespace concord {

// A filter on a field: "region:Africa" or, excluded, "-topic:nuclear".
struct Filter {
  std::string field;  // one of filter_fields()
  std::string value;
  bool exclude = false;
};

// Fields usable in --filter and as field:value in queries.
const std::vector<std::string>& filter_fields();
// Free-text fields usable as field:words in queries.
const std::vector<std::string>& text_fields();

// Parses "field:value" or "-field:value". Throws Error(kInvalidArgument) naming the known
// fields when the field is unknown or the value empty.
Filter parse_filter(std::string_view spec);

// A query that does not parse: column is 1-based, in characters of the query string.
class QuerySyntaxError : public Error {
 public:
  QuerySyntaxError(const std::string& message, std::size_t column)
      : Error(ErrorCode::kInvalidQuery, message), column_(column) {}
  [[nodiscard]] std::size_t column() const noexcept { return column_; }

 private:
  std::size_t column_;
};

// Bounds enforced before Xapian sees a query, so that no request can run away.
struct SearchLimits {
  std::size_t max_query_bytes = 4096;
  std::size_t max_terms = 256;     // words, including those inside phrases
  std::size_t max_depth = 32;      // nesting of parentheses
  std::size_t max_window = 10000;  // offset + limit
  std::size_t max_limit = 1000;
  std::size_t max_wildcard_expansion = 256;  // words one prefix* may stand for
  std::size_t max_filters = 64;
  // A backstop, not a budget: the bounds above keep real queries far below it. A match that
  // runs this long is stopped and reported as an error rather than as inexact counts.
  double max_seconds = 10.0;
};

enum class SortOrder { kRelevance, kDateNewest, kDateOldest, kDocumentOrder };

// The facets a search can count: the filter fields.
const std::vector<std::string>& facet_fields();

// Which facets to count and how.
struct FacetRequest {
  bool enabled = true;
  bool count_documents = false;  // count distinct papers instead of paragraphs
  std::size_t max_values = 50;   // per facet, most frequent first (region keeps its tree)
  // The facets to count; empty: all of facet_fields(). A name may end in ":documents" or
  // ":paragraphs" to choose the counting for that facet alone ("region:documents"). An
  // unknown name is Error(kInvalidArgument).
  std::vector<std::string> fields;
};

struct SearchRequest {
  std::string query;  // empty or "*": every paragraph (browse with filters)
  std::vector<Filter> filters;
  std::size_t offset = 0;
  std::size_t limit = 10;
  std::size_t per_doc = 0;  // at most this many hits per paper; 0 = no limit
  SortOrder sort = SortOrder::kRelevance;
  std::size_t snippet_bytes = 300;
  // With a sharded index, refuse to answer (Error kUnavailable) rather than answer from the
  // shards that are up.
  bool require_complete = false;
  FacetRequest facets;
};

struct DocSummary {
  std::string id, title, date, issuer, country, language, type;
};

struct SearchHit {
  std::string id;  // paragraph id "<doc>:<ordinal>"
  double score = 0;
  DocSummary doc;
  std::vector<std::string> section;  // section path, outermost first
  std::string section_number;
  std::uint32_t paragraph = 0;  // ordinal in the paper
  std::uint32_t page = 0;
  std::string snippet;  // HTML: escaped text with <mark>…</mark>
  std::string text;     // the paragraph, plain
  std::vector<std::string> topics;
  std::vector<std::string> regions;
  std::map<std::string, std::vector<std::string>> evidence;  // why each tag: "topic:<id>" -> words
};

struct FacetValue {
  std::string value;              // what a filter takes ("africa", "2023", "CHN")
  std::string label;              // what a person reads ("Africa")
  std::vector<std::string> path;  // hierarchy from the root, for regions
  std::uint64_t count = 0;
  bool selected = false;
};

// How a facet was counted, and whether values were left out.
struct FacetInfo {
  bool documents = false;  // counts are papers, not paragraphs
  std::size_t values = 0;  // distinct values with a count
  bool truncated = false;  // fewer than `values` are listed (FacetRequest::max_values)
};

struct SearchResponse {
  std::string query;
  std::uint64_t total = 0;            // exact number of matching paragraphs
  std::uint64_t total_documents = 0;  // distinct papers among them
  std::size_t offset = 0;
  std::size_t limit = 0;
  std::vector<SearchHit> results;
  std::map<std::string, std::vector<FacetValue>> facets;
  std::map<std::string, FacetInfo> facet_info;
  std::vector<Filter> filters;  // effective filters (request + query)
  std::vector<std::string> warnings;
  // Shards that did not answer: the result is partial (counts and hits miss their papers).
  std::vector<std::string> unavailable_shards;
  double took_ms = 0;
};

// Runs searches against an IndexReader. Not safe for concurrent use; the reader must
// outlive the searcher.
class Searcher {
 public:
  explicit Searcher(IndexReader& reader, SearchLimits limits = {});
  ~Searcher();
  Searcher(Searcher&&) noexcept;
  Searcher& operator=(Searcher&&) noexcept;

  // Throws QuerySyntaxError, Error(kLimitExceeded) or Error(kInvalidArgument) for bad
  // requests; kCorrupt/kIo/kUnavailable for index trouble.
  SearchResponse search(const SearchRequest& request);

  [[nodiscard]] const SearchLimits& limits() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace concord
