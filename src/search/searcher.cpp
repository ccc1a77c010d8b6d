// Searcher: compile, filter, match with exact counts, then snippets and facets.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <unordered_map>

#include "concord/analysis.hpp"
#include "concord/search.hpp"
#include "concord/text.hpp"
#include "facets.hpp"
#include "filters.hpp"
#include "highlighter.hpp"
#include "logging.hpp"
#include "query_compiler.hpp"
#include "reader_impl.hpp"
#include "records.hpp"
#include "schema.hpp"
#include "xapian_util.hpp"

namespace concord {

const std::vector<std::string>& filter_fields() {
  static const std::vector<std::string> kFields{"doc",     "year", "lang",  "issuer",
                                                "country", "type", "topic", "region"};
  return kFields;
}

const std::vector<std::string>& facet_fields() {
  return filter_fields();
}

const std::vector<std::string>& text_fields() {
  static const std::vector<std::string> kFields{"title", "section"};
  return kFields;
}

Filter parse_filter(std::string_view spec) {
  Filter f;
  std::string_view s = trim(spec);
  if (!s.empty() && (s[0] == '-' || s[0] == '!')) {
    f.exclude = true;
    s.remove_prefix(1);
  }
  const std::size_t colon = s.find(':');
  const auto known = [] {
    std::string list;
    for (const auto& name : filter_fields()) list += (list.empty() ? "" : ", ") + name;
    return list;
  };
  if (colon == std::string_view::npos || colon == 0) {
    throw Error(ErrorCode::kInvalidArgument,
                "filter '" + std::string(spec) + "' is not FIELD:VALUE (fields: " + known() + ")");
  }
  f.field = std::string(s.substr(0, colon));
  for (char& c : f.field) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  f.value = std::string(trim(s.substr(colon + 1)));
  if (f.value.size() >= 2 && f.value.front() == '"' && f.value.back() == '"') {
    f.value = f.value.substr(1, f.value.size() - 2);
  }
  const auto& fields = filter_fields();
  if (std::find(fields.begin(), fields.end(), f.field) == fields.end()) {
    throw Error(ErrorCode::kInvalidArgument,
                "unknown filter field '" + f.field + "' (fields: " + known() + ")");
  }
  if (f.value.empty()) {
    throw Error(ErrorCode::kInvalidArgument, "filter '" + std::string(spec) + "' has no value");
  }
  return f;
}

struct Searcher::Impl {
  Impl(IndexReader& r, SearchLimits l)
      : reader(r),
        limits(l),
        analyzer(r.stem_language()),
        compiler(r.impl().db, analyzer, limits) {}

  IndexReader& reader;
  SearchLimits limits;
  Analyzer analyzer;
  search::QueryCompiler compiler;
  search::ExpansionCache expansions;  // facet set expansions of the reader's in-memory slots

  SearchResponse run(const SearchRequest& request);
  void run_match(const SearchRequest& request, const search::CompiledQuery& compiled,
                 SearchResponse& response);
  [[nodiscard]] std::vector<SearchHit> page_hits(const Xapian::MSet& mset,
                                                 const search::CompiledQuery& compiled,
                                                 const SearchRequest& request) const;
};

Searcher::Searcher(IndexReader& reader, SearchLimits limits)
    : impl_(std::make_unique<Impl>(reader, limits)) {}
Searcher::~Searcher() = default;
Searcher::Searcher(Searcher&&) noexcept = default;
Searcher& Searcher::operator=(Searcher&&) noexcept = default;
const SearchLimits& Searcher::limits() const {
  return impl_->limits;
}

namespace {

void check_window(const SearchRequest& request, const SearchLimits& limits) {
  if (request.limit > limits.max_limit) {
    throw Error(ErrorCode::kLimitExceeded, "limit " + std::to_string(request.limit) +
                                               " is above the maximum of " +
                                               std::to_string(limits.max_limit));
  }
  if (request.offset > limits.max_window || request.offset + request.limit > limits.max_window) {
    throw Error(ErrorCode::kLimitExceeded, "offset + limit must stay within the first " +
                                               std::to_string(limits.max_window) +
                                               " results; narrow the query or add filters");
  }
  if (request.filters.size() > limits.max_filters) {
    throw Error(ErrorCode::kLimitExceeded,
                "more than " + std::to_string(limits.max_filters) + " filters");
  }
  if (request.snippet_bytes > 4096) {
    throw Error(ErrorCode::kLimitExceeded, "snippet length above 4096 bytes");
  }
}

void apply_sort(Xapian::Enquire& enquire, SortOrder sort) {
  switch (sort) {
    case SortOrder::kRelevance:
      // Ties broken by paper and paragraph order, so results do not depend on how the
      // index is split into shards.
      enquire.set_sort_by_relevance_then_value(schema::kSlotOrder, false);
      break;
    case SortOrder::kDateNewest:
      enquire.set_sort_by_value(schema::kSlotNewestFirst, false);
      break;
    case SortOrder::kDateOldest:
      enquire.set_sort_by_value(schema::kSlotOldestFirst, false);
      break;
    case SortOrder::kDocumentOrder:
      enquire.set_sort_by_value(schema::kSlotOrder, false);
      break;
  }
}

DocSummary summarize(const DocumentInfo& info) {
  return DocSummary{info.meta.id,      info.meta.title,    info.meta.date, info.meta.issuer,
                    info.meta.country, info.meta.language, info.meta.type};
}

}  // namespace

SearchResponse Searcher::search(const SearchRequest& request) {
  return impl_->run(request);
}

SearchResponse Searcher::Impl::run(const SearchRequest& request) {
  const auto started = std::chrono::steady_clock::now();
  check_window(request, limits);
  search::CompiledQuery compiled = compiler.compile(request.query);
  detail::log().trace("query '{}' compiled to {}", request.query, compiled.query.get_description());
  SearchResponse response;
  response.query = request.query;
  response.offset = request.offset;
  response.limit = request.limit;
  response.warnings = compiled.warnings;
  response.filters = request.filters;
  response.filters.insert(response.filters.end(), compiled.filters.begin(), compiled.filters.end());
  for (const auto& f : response.filters) {
    const auto& fields = filter_fields();
    if (std::find(fields.begin(), fields.end(), f.field) == fields.end()) {
      throw Error(ErrorCode::kInvalidArgument, "unknown filter field '" + f.field + "'");
    }
  }

  // A shard that fails during the match (a remote server went away) is left out once and
  // the search runs again on the others; the response then says it is partial.
  const std::size_t own_warnings = response.warnings.size();
  for (int attempt = 1;; ++attempt) {
    try {
      run_match(request, compiled, response);
      break;
    } catch (const Xapian::NetworkError& e) {
      if (attempt > 1 || reader.impl().shards.size() < 2) xapian_util::rethrow(e, "search");
      reader.recover();
      response.warnings.resize(own_warnings);
    } catch (const Xapian::Error& e) {
      xapian_util::rethrow(e, "search");
    }
  }
  response.unavailable_shards = reader.unavailable_shards();
  if (request.require_complete && !response.unavailable_shards.empty()) {
    throw Error(ErrorCode::kUnavailable, "partial results refused: shard " +
                                             response.unavailable_shards.front() +
                                             " is unavailable");
  }
  response.took_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  detail::log().debug("search '{}' ({} filters): {} paragraphs in {} papers, {:.1f} ms",
                      request.query, response.filters.size(), response.total,
                      response.total_documents, response.took_ms);
  return response;
}

// The page's hits with their snippets.
std::vector<SearchHit> Searcher::Impl::page_hits(const Xapian::MSet& mset,
                                                 const search::CompiledQuery& compiled,
                                                 const SearchRequest& request) const {
  std::unordered_map<std::string, DocSummary> summaries;
  std::shared_ptr<const IndexReader::DocumentTable> documents;
  std::vector<SearchHit> hits;
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    ParagraphRecord record = records::decode_paragraph(it.get_document().get_data());
    SearchHit hit;
    hit.id = record.id;
    hit.score = it.get_weight();
    auto summary = summaries.find(record.doc_id);
    if (summary == summaries.end()) {
      // The reader's table of papers, read once per index revision, rather than a record
      // lookup and decode per hit.
      if (!documents) documents = reader.document_table();
      const auto info = documents->find(record.doc_id);
      DocSummary fallback;
      fallback.id = record.doc_id;
      summary =
          summaries
              .emplace(record.doc_id, info != documents->end() ? summarize(info->second) : fallback)
              .first;
    }
    hit.doc = summary->second;
    hit.section = std::move(record.paragraph.section_path);
    hit.section_number = std::move(record.paragraph.section_number);
    hit.paragraph = record.paragraph.ordinal;
    hit.page = record.paragraph.page;
    hit.snippet = search::make_snippet(record.paragraph.text, compiled.highlight, analyzer,
                                       request.snippet_bytes);
    hit.text = std::move(record.paragraph.text);
    hit.topics = std::move(record.topics);
    hit.regions = std::move(record.regions);
    hit.evidence = std::move(record.evidence);
    hits.push_back(std::move(hit));
  }
  return hits;
}

void Searcher::Impl::run_match(const SearchRequest& request, const search::CompiledQuery& compiled,
                               SearchResponse& response) {
  Xapian::Database& db = reader.impl().db;
  {
    int attempts = 0;
    xapian_util::with_retry(db, [&](Xapian::Database& d) {
      // A retry follows a reopen to a newer revision: what was cached from the old one
      // (facet slots in memory above all) must not be counted against the new one.
      if (++attempts > 1) reader.impl().forget_caches();
      const auto taxonomy = reader.taxonomy();
      const auto gazetteer = reader.gazetteer();
      const search::FilterSet filter_set(d, response.filters, *taxonomy, *gazetteer);
      response.warnings.insert(response.warnings.end(), filter_set.warnings().begin(),
                               filter_set.warnings().end());
      // Echo filters by their canonical values (ids), which facet values use too.
      for (std::size_t i = 0; i < response.filters.size(); ++i) {
        response.filters[i].value = filter_set.canonical_values()[i];
      }
      const Xapian::Query paragraphs{std::string(schema::kParagraphKind)};
      Xapian::Query text = paragraphs;
      if (!compiled.query.empty()) {
        text = schema::matches_only_paragraphs(compiled.query)
                   ? compiled.query
                   : Xapian::Query(Xapian::Query::OP_FILTER, compiled.query, paragraphs);
      }
      const auto restrict = [&](const Xapian::Query& q, const std::string& skip_field) {
        Xapian::Query out = q;
        if (const auto filter = filter_set.combined(skip_field)) {
          // A filter that can match nothing (an unknown issuer) empties the result.
          out = filter->empty() ? Xapian::Query()
                                : Xapian::Query(Xapian::Query::OP_FILTER, out, *filter);
        }
        if (const auto& excluded = filter_set.exclusions();
            excluded && !excluded->empty() && !out.empty()) {
          out = Xapian::Query(Xapian::Query::OP_AND_NOT, out, *excluded);
        }
        return out;
      };

      Xapian::Enquire enquire(d);
      enquire.set_query(restrict(text, {}));
      enquire.set_weighting_scheme(Xapian::BM25Weight(1.2, 0, 1, 0.75, 0.5));
      apply_sort(enquire, request.sort);
      if (request.per_doc > 0) enquire.set_collapse_key(schema::kSlotDoc, request.per_doc);
      search::FacetCounter facets(
          d, request.facets, filter_set,
          search::FacetCounter::Context{
              *taxonomy, *gazetteer, [&] { return reader.document_table(); },
              [&](Xapian::valueno slot) { return reader.impl().column(slot); },
              [&] { return reader.impl().open_copy(); }, &expansions},
          request.per_doc, limits.max_seconds);
      enquire.set_time_limit(limits.max_seconds);
      const auto match_started = std::chrono::steady_clock::now();
      // Two passes: an unranked one that feeds every match to the facet spies, then the
      // ranked page alone. One ranked match asked for exact counts (checkatleast = all) was
      // 1.5 to 1.8 times slower on common words of the UNGDC corpus, and through Xapian 1.4's
      // remote protocol, spies in a match that also returns a page count some documents twice.
      // The ranked page is fetched while other threads count, where the index allows it.
      Xapian::MSet mset;
      facets.count(enquire.get_query(), text, [&] {
        mset = enquire.get_mset(static_cast<Xapian::doccount>(request.offset),
                                static_cast<Xapian::doccount>(request.limit));
        // Built while other threads still count, where the count is split: they need the
        // ranked page only.
        response.results = page_hits(mset, compiled, request);
      });
      detail::log().debug("match and page: {:.1f} ms{}",
                          std::chrono::duration<double, std::milli>(
                              std::chrono::steady_clock::now() - match_started)
                              .count(),
                          request.facets.enabled ? " with facets" : "");
      if (std::chrono::duration<double>(std::chrono::steady_clock::now() - match_started).count() >=
          limits.max_seconds) {
        char seconds[32];
        std::snprintf(seconds, sizeof seconds, "%g", limits.max_seconds);
        throw Error(ErrorCode::kLimitExceeded,
                    std::string("the query ran longer than ") + seconds +
                        " s and was stopped; narrow it with more words or filters");
      }
      response.total = facets.matched_paragraphs();
      response.total_documents = facets.matched_documents();
      if (response.total == 0 && request.per_doc == 0)
        response.total = mset.get_matches_estimated();
      facets.finish(response.facets, response.facet_info,
                    [&](const std::string& field) { return restrict(text, field); });
      return 0;
    });
  }
}

}  // namespace concord
