// Tracing a phrase: exact counts per paper and per year through the searcher's facets, the
// first and latest dated occurrences, and a timeline with the corpus size of each year.
#include <algorithm>
#include <chrono>
#include <map>

#include "concord/analysis.hpp"
#include "concord/compare.hpp"
#include "concord/error.hpp"

namespace concord {

TraceResponse trace_phrase(IndexReader& reader, const TraceRequest& request) {
  const auto started = std::chrono::steady_clock::now();
  if (request.slack > 10)
    throw Error(ErrorCode::kLimitExceeded, "variation must be at most 10 words");
  if (request.examples > 200) throw Error(ErrorCode::kLimitExceeded, "at most 200 examples");
  const Analyzer analyzer(reader.stem_language());
  const auto tokens = analyzer.tokenize(request.phrase);
  if (tokens.empty()) throw Error(ErrorCode::kInvalidArgument, "the phrase has no words to trace");
  if (tokens.size() > 32)
    throw Error(ErrorCode::kLimitExceeded, "a phrase to trace has at most 32 words");
  TraceResponse out;
  out.phrase = request.phrase;
  // Exact: a phrase of the normalised words. Light variation: the same words in order with up
  // to `slack` other words among them: ADJ/n, whose window spans n + words - 1 positions.
  if (tokens.size() == 1) {
    out.query = tokens[0].term;
  } else if (request.slack == 0) {
    // The phrase as written, hyphens included, so that "co-operation" also finds
    // "cooperation" as a search does; only quote marks are taken out.
    std::string text = request.phrase;
    for (const std::string_view quote : {"\"", "\u201C", "\u201D", "\u201E"}) {
      for (auto at = text.find(quote); at != std::string::npos; at = text.find(quote, at))
        text.replace(at, quote.size(), " ");
    }
    out.query = "\"" + text + "\"";
  } else {
    for (const auto& t : tokens) {
      if (!out.query.empty()) out.query += " ADJ/" + std::to_string(request.slack + 1) + " ";
      out.query += t.term;
    }
  }

  Searcher searcher(reader);
  SearchRequest counts;
  counts.query = out.query;
  counts.filters = request.filters;
  counts.limit = 0;
  counts.facets.max_values = 1000000;
  const SearchResponse all = searcher.search(counts);
  out.paragraphs = all.total;
  out.documents = all.total_documents;
  if (const auto it = all.facets.find("doc"); it != all.facets.end()) out.per_document = it->second;

  // Paragraphs per year, with the size of the corpus that year for rates.
  std::map<int, TraceYear> years;
  std::uint64_t dated_paragraphs = 0;
  for (const auto& fv : all.facets.at("year")) {
    TraceYear& y = years[std::stoi(fv.value)];
    y.year = std::stoi(fv.value);
    y.paragraphs = fv.count;
    dated_paragraphs += fv.count;
  }
  // Said outright, so that an empty timeline is not read as "the phrase has no history".
  out.undated_paragraphs = all.total > dated_paragraphs ? all.total - dated_paragraphs : 0;
  if (!years.empty()) {
    SearchRequest docs = counts;
    docs.facets.count_documents = true;
    const SearchResponse by_documents = searcher.search(docs);
    for (const auto& fv : by_documents.facets.at("year"))
      years[std::stoi(fv.value)].documents = fv.count;
    SearchRequest corpus;
    corpus.query = "*";
    corpus.filters = request.filters;
    corpus.limit = 0;
    corpus.facets.max_values = 1000000;
    const SearchResponse whole = searcher.search(corpus);
    for (const auto& fv : whole.facets.at("year")) {
      const int year = std::stoi(fv.value);
      if (year >= years.begin()->first && year <= years.rbegin()->first) {
        years[year].year = year;
        years[year].corpus_paragraphs = fv.count;
      }
    }
    // Every year from the first to the latest, zeros included: a timeline has no holes.
    for (int year = years.begin()->first; year <= years.rbegin()->first; ++year) {
      TraceYear& y = years[year];
      y.year = year;
      out.timeline.push_back(y);
    }
  }

  // First and latest dated occurrences, and examples in date order.
  SearchRequest dated;
  dated.query = out.query;
  dated.filters = request.filters;
  dated.filters.push_back(Filter{"year", "0001..9999", false});
  dated.facets.enabled = false;
  dated.sort = SortOrder::kDateOldest;
  dated.limit = std::max<std::size_t>(1, request.examples);
  SearchResponse oldest = searcher.search(dated);
  if (!oldest.results.empty()) out.first = oldest.results.front();
  out.examples = std::move(oldest.results);
  if (request.examples == 0) out.examples.clear();
  dated.sort = SortOrder::kDateNewest;
  dated.limit = 1;
  const SearchResponse newest = searcher.search(dated);
  if (!newest.results.empty()) out.latest = newest.results.front();
  out.unavailable_shards = reader.unavailable_shards();
  out.took_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return out;
}

}  // namespace concord
