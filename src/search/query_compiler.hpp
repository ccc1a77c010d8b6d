// From the user's query string to a Xapian::Query, through the same Analyzer as indexing.
// Internal to the search module.
//
// A first pass reads the query syntax itself (words, "phrases", parentheses, operators,
// field:value, prefix*), checks it and its bounds with column-exact messages, normalises
// and stems every word with the Analyzer, and lifts filter fields out. Xapian's QueryParser
// then builds the query from that normalised text with stemming off, so index and query
// terms come from one code path. Wildcards expand through the vocabulary of unstemmed words
// kept on document records, then map to stems.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <xapian.h>

#include "concord/analysis.hpp"
#include "concord/search.hpp"

namespace concord::search {

// What to mark in snippets: single stems, and stem sequences that must appear together.
struct HighlightSpec {
  std::unordered_set<std::string> terms;
  std::vector<std::vector<std::string>> phrases;
  [[nodiscard]] bool empty() const { return terms.empty() && phrases.empty(); }
};

struct CompiledQuery {
  Xapian::Query query;          // empty when the query matches every paragraph
  std::vector<Filter> filters;  // field:value parts of the query
  HighlightSpec highlight;
  std::vector<std::string> warnings;
};

class QueryCompiler {
 public:
  QueryCompiler(const Xapian::Database& db, const Analyzer& analyzer, const SearchLimits& limits);
  ~QueryCompiler();

  CompiledQuery compile(std::string_view query);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Stems and phrases in a Xapian query that a snippet should mark (not under NOT).
HighlightSpec highlight_spec(const Xapian::Query& query);

}  // namespace concord::search
