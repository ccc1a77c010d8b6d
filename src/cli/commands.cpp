// Subcommands: build a request, call the library, print for a person or as JSON.
#include "commands.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <iostream>

#include "concord/compare.hpp"
#include "concord/enrich.hpp"
#include "concord/index.hpp"
#include "concord/ingest.hpp"
#include "concord/json.hpp"
#include "serve.hpp"
#include "terminal.hpp"

namespace concord::cli {
namespace {

void print_json(const nlohmann::ordered_json& value) {
  std::cout << json::dump(value, 2) << "\n";
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

// "1 paper", "2 papers".
std::string counted(std::uint64_t n, std::string_view noun) {
  return fmt::format("{} {}{}", n, noun, n == 1 ? "" : "s");
}

// A query as the person typed it, in quotes unless it is a quoted phrase already.
std::string quoted(const std::string& query) {
  if (query.size() >= 2 && query.front() == '"' && query.back() == '"') return query;
  return "\"" + query + "\"";
}

// A sharded index with a shard down answers from the others: say so before the results.
void print_partial(const Style& style, const std::vector<std::string>& unavailable,
                   std::string_view missing_from) {
  if (unavailable.empty()) return;
  std::cout << style.bold("partial results:") << " shard " << join(unavailable, ", ")
            << " unavailable; its papers are missing from " << missing_from << "\n";
}

std::string breadcrumb(const std::vector<std::string>& path, std::size_t width) {
  std::vector<std::string> shown;
  for (const auto& h : path) shown.push_back(ellipsize(h, width));
  return join(shown, " \xE2\x80\xBA ");  // ›
}

// Progress on stderr, only for a person watching a terminal.
class Progress {
 public:
  explicit Progress(bool enabled) : enabled_(enabled) {}
  ~Progress() { finish(); }
  void update(const IndexProgress& p) {
    if (!enabled_) return;
    const double rate = p.seconds > 0 ? static_cast<double>(p.paragraphs) / p.seconds : 0.0;
    std::fprintf(stderr,
                 "\r\033[Kindexing %zu/%zu files, %llu paragraphs, %.0f paragraphs/s, %.1f MB",
                 p.files_done, p.files_total, static_cast<unsigned long long>(p.paragraphs), rate,
                 static_cast<double>(p.bytes) / 1e6);
    std::fflush(stderr);
    shown_ = true;
  }
  void finish() {
    if (shown_) std::fputs("\r\033[K", stderr);
    shown_ = false;
  }

 private:
  bool enabled_;
  bool shown_ = false;
};

void print_report(const IndexReport& r, bool quiet) {
  const Style style = stdout_style();
  for (const auto& f : r.files) {
    switch (f.status) {
      case FileOutcome::Status::kFailed:
        std::cout << style.error("failed") << "  " << f.message << "\n";
        break;
      case FileOutcome::Status::kAdded:
      case FileOutcome::Status::kUpdated:
        if (!quiet) {
          std::cout << (f.status == FileOutcome::Status::kAdded ? "added " : "updated") << "  "
                    << f.doc_id << "  (" << counted(f.paragraphs, "paragraph") << ")  "
                    << style.dim(f.path) << "\n";
        }
        for (const auto& w : f.warnings) std::cout << "         warning: " << w << "\n";
        break;
      case FileOutcome::Status::kRemoved:
        if (!quiet) std::cout << "removed  " << f.doc_id << "  " << style.dim(f.path) << "\n";
        break;
      case FileOutcome::Status::kUnchanged:
        break;
    }
  }
  std::cout << fmt::format(
      "{} added, {} updated, {} unchanged, {} removed, {} failed; {} written in {:.2f} s. "
      "Index: {}, {}.\n",
      r.added, r.updated, r.unchanged, r.removed, r.failed,
      counted(r.paragraphs_written, "paragraph"), r.seconds, counted(r.index_documents, "paper"),
      counted(r.index_paragraphs, "paragraph"));
  if (r.failed > 0) {
    std::cout << style.error(fmt::format("{} file(s) could not be indexed:", r.failed)) << "\n";
    for (const auto& f : r.files) {
      if (f.status == FileOutcome::Status::kFailed) std::cout << "  - " << f.message << "\n";
    }
  }
}

SortOrder parse_sort(const std::string& s) {
  if (s == "newest") return SortOrder::kDateNewest;
  if (s == "oldest") return SortOrder::kDateOldest;
  if (s == "document") return SortOrder::kDocumentOrder;
  return SortOrder::kRelevance;
}

void print_search(const SearchResponse& r, bool show_facets) {
  const Style style = stdout_style();
  if (r.total == 0) {
    std::cout << "No paragraphs match " << style.bold(quoted(r.query)) << ".\n";
  } else {
    std::cout << fmt::format("{} paragraph{} match{} {} (showing {}\xE2\x80\x93{}, {:.1f} ms)\n",
                             r.total, r.total == 1 ? "" : "s", r.total == 1 ? "es" : "",
                             style.bold(quoted(r.query)), r.offset + (r.results.empty() ? 0 : 1),
                             r.offset + r.results.size(), r.took_ms);
  }
  print_partial(style, r.unavailable_shards, "counts and hits");
  for (const auto& w : r.warnings) std::cout << "warning: " << w << "\n";
  std::size_t rank = r.offset;
  for (const auto& hit : r.results) {
    ++rank;
    std::string head = hit.doc.title;
    if (!hit.doc.date.empty()) head += " \xC2\xB7 " + hit.doc.date;
    if (!hit.doc.issuer.empty()) head += " \xC2\xB7 " + hit.doc.issuer;
    std::cout << "\n" << fmt::format("{:>3}. ", rank) << style.bold(ellipsize(head, 110)) << "\n";
    if (!hit.section.empty())
      std::cout << "     " << style.accent(breadcrumb(hit.section, 48)) << "\n";
    std::cout << "     " << render_snippet(hit.snippet, style) << "\n";
    std::string where = hit.id + fmt::format(" \xC2\xB7 \xC2\xB6{}", hit.paragraph);
    if (hit.page > 0) where += fmt::format(" \xC2\xB7 p. {}", hit.page);
    where += fmt::format(" \xC2\xB7 score {:.2f}", hit.score);
    if (!hit.topics.empty()) where += " \xC2\xB7 topics: " + join(hit.topics, ", ");
    if (!hit.regions.empty()) where += " \xC2\xB7 regions: " + join(hit.regions, ", ");
    std::cout << "     " << style.dim(where) << "\n";
  }
  if (show_facets) {
    for (const auto& [name, values] : r.facets) {
      if (values.empty()) continue;
      const auto info = r.facet_info.find(name);
      const bool papers = info != r.facet_info.end() && info->second.documents;
      std::cout << "\n" << style.bold(name) << (papers ? " (papers)" : "") << ":";
      std::size_t shown = 0;
      for (const auto& v : values) {
        if (++shown > 12) break;
        std::cout << "  " << v.label << " (" << v.count << ")";
      }
      const std::size_t all = info != r.facet_info.end() ? info->second.values : values.size();
      if (all > std::min<std::size_t>(values.size(), 12)) {
        std::cout << "  " << style.dim(fmt::format("\xE2\x80\xA6 {} values in all", all));
      }
      std::cout << "\n";
    }
  }
}

}  // namespace

int exit_code_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kInvalidQuery:
    case ErrorCode::kLimitExceeded:
      return kExitUsage;
    case ErrorCode::kNotFound:
      return kExitNotFound;
    case ErrorCode::kBusy:
      return kExitBusy;
    case ErrorCode::kInvalidInput:
    case ErrorCode::kIo:
    case ErrorCode::kCorrupt:
    case ErrorCode::kUnavailable:
    case ErrorCode::kInternal:
      return kExitFailure;
  }
  return kExitFailure;
}

int run_index_command(const GlobalOptions& global, const IndexOptions& options) {
  IndexRunOptions run;
  run.index_dir = global.index_dir;
  for (const auto& p : options.paths) run.inputs.emplace_back(p);
  run.selection.include = options.include;
  run.selection.exclude = options.exclude;
  run.prune = options.prune;
  run.force = options.force;
  run.rebuild = options.rebuild;
  run.shards = options.shards;
  run.taxonomy_path = options.taxonomy;
  run.gazetteer_path = options.gazetteer;
  run.metadata_table = options.metadata;
  Progress progress(!global.json && stderr_is_terminal());
  const IndexReport report = run_index(run, [&](const IndexProgress& p) { progress.update(p); });
  progress.finish();
  if (global.json) {
    print_json(json::index_report(report));
  } else {
    print_report(report, options.quiet);
  }
  return report.failed > 0 ? kExitPartial : kExitOk;
}

int run_search_command(const GlobalOptions& global, const SearchOptions& options) {
  SearchRequest request;
  request.query = join(options.query_words, " ");
  for (const auto& f : options.filters) request.filters.push_back(parse_filter(f));
  request.limit = options.limit;
  request.offset = options.offset;
  request.per_doc = options.per_doc;
  request.sort = parse_sort(options.sort);
  request.facets.count_documents = options.count_documents;
  request.facets.fields = options.facets;
  request.require_complete = options.complete;
  IndexReader reader = IndexReader::open(IndexLocation::parse(global.index_dir));
  Searcher searcher(reader);
  SearchResponse response;
  try {
    response = searcher.search(request);
  } catch (const QuerySyntaxError& e) {
    if (global.json) {
      nlohmann::ordered_json body = json::error(e);
      body["error"]["column"] = e.column();
      print_json(body);
    } else {
      std::cerr << "concord: invalid query: " << e.what() << "\n  " << request.query << "\n  "
                << std::string(e.column() > 0 ? e.column() - 1 : 0, ' ') << "^\n";
    }
    return kExitUsage;
  }
  if (global.json) {
    print_json(json::search(response));
  } else {
    print_search(response, options.show_facets || !options.facets.empty());
  }
  return kExitOk;
}

int run_documents_command(const GlobalOptions& global) {
  IndexReader reader = IndexReader::open(IndexLocation::parse(global.index_dir));
  const auto docs = reader.documents();
  if (global.json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& d : docs) list.push_back(json::document(d, false));
    print_json({{"documents", list}, {"total", docs.size()}});
    return kExitOk;
  }
  const Style style = stdout_style();
  for (const auto& d : docs) {
    std::cout << style.bold(d.meta.id) << "  " << (d.meta.date.empty() ? "-" : d.meta.date) << "  "
              << ellipsize(d.meta.title, 70) << "  "
              << style.dim(counted(d.paragraph_count, "paragraph")) << "\n";
  }
  std::cout << counted(docs.size(), "paper") << ", "
            << counted(reader.paragraph_count(), "paragraph") << "\n";
  return kExitOk;
}

int run_show_command(const GlobalOptions& global, const std::string& doc_id) {
  IndexReader reader = IndexReader::open(IndexLocation::parse(global.index_dir));
  const auto doc = reader.document(doc_id);
  if (!doc) throw Error(ErrorCode::kNotFound, "no document with id '" + doc_id + "'");
  if (global.json) {
    print_json(json::document(*doc, true));
    return kExitOk;
  }
  const Style style = stdout_style();
  const DocumentMeta& m = doc->meta;
  std::cout << style.bold(m.title) << "\n";
  const auto line = [&](const char* label, const std::string& value) {
    if (!value.empty()) std::cout << fmt::format("  {:<10} ", label) << value << "\n";
  };
  line("id", m.id);
  line("issuer", m.issuer);
  line("date", m.date);
  line("place", m.place);
  line("country", m.country);
  line("language", m.language);
  line("type", m.type);
  line("source", doc->source_path);
  line("paragraphs", std::to_string(doc->paragraph_count));
  if (!doc->sections.empty()) std::cout << "\nOutline:\n";
  for (const auto& s : doc->sections) {
    std::cout << std::string(static_cast<std::size_t>(s.level) * 2, ' ') << ellipsize(s.heading, 90)
              << style.dim(fmt::format("  [{} \xC2\xB6{}]", s.number, s.first_paragraph)) << "\n";
  }
  return kExitOk;
}

int run_remove_command(const GlobalOptions& global, const std::vector<std::string>& ids) {
  const IndexReport report = remove_documents(global.index_dir, ids);
  if (global.json) {
    print_json(json::index_report(report));
  } else {
    for (const auto& f : report.files) {
      if (f.status == FileOutcome::Status::kRemoved)
        std::cout << "removed  " << f.doc_id << "\n";
      else
        std::cout << "failed   " << f.message << "\n";
    }
  }
  return report.failed > 0 ? kExitNotFound : kExitOk;
}

int run_inspect_command(const GlobalOptions& global, const std::string& file) {
  const Paper paper = read_paper(file);
  if (global.json) {
    print_json(json::paper(paper));
    return kExitOk;
  }
  const Style style = stdout_style();
  const DocumentMeta& m = paper.meta;
  std::cout << style.bold(m.title) << "\n"
            << fmt::format("  id {} · date {} · issuer {} · place {} · language {}\n", m.id,
                           m.date.empty() ? "-" : m.date, m.issuer.empty() ? "-" : m.issuer,
                           m.place.empty() ? "-" : m.place, m.language.empty() ? "-" : m.language);
  for (const auto& w : paper.warnings) std::cout << "  warning: " << w << "\n";
  int current = -2;
  for (const auto& p : paper.paragraphs) {
    if (p.section != current) {
      current = p.section;
      if (!p.section_path.empty())
        std::cout << "\n" << style.accent(breadcrumb(p.section_path, 50)) << "\n";
    }
    std::cout << style.dim(fmt::format("  ¶{:<4}", p.ordinal)) << ellipsize(p.text, 100) << "\n";
  }
  std::cout << "\n"
            << counted(paper.sections.size(), "section") << ", "
            << counted(paper.paragraphs.size(), "paragraph") << "\n";
  return kExitOk;
}

int run_explain_command(const GlobalOptions& global, const std::string& paragraph_id) {
  IndexReader reader = IndexReader::open(IndexLocation::parse(global.index_dir));
  const auto record = reader.paragraph(paragraph_id);
  if (!record) throw Error(ErrorCode::kNotFound, "no paragraph with id '" + paragraph_id + "'");
  if (global.json) {
    print_json(json::paragraph(*record));
    return kExitOk;
  }
  const Style style = stdout_style();
  const auto taxonomy = reader.taxonomy();
  const auto gazetteer = reader.gazetteer();
  if (!record->paragraph.section_path.empty()) {
    std::cout << style.accent(breadcrumb(record->paragraph.section_path, 60)) << "\n";
  }
  std::cout << record->paragraph.text << "\n\n";
  const auto why = [&](const std::string& key) {
    const auto it = record->evidence.find(key);
    return it == record->evidence.end() ? std::string() : join(it->second, "; ");
  };
  std::cout << style.bold("Topics") << (record->topics.empty() ? ": none" : "") << "\n";
  for (const auto& id : record->topics) {
    const Topic* t = taxonomy->find(id);
    std::cout << "  " << (t ? t->label : id) << style.dim(" [" + id + "]")
              << "  because: " << why("topic:" + id) << "\n";
  }
  std::cout << style.bold("Regions") << (record->regions.empty() ? ": none" : "") << "\n";
  for (const auto& id : record->regions) {
    std::vector<std::string> names;
    for (const auto& step : gazetteer->path(id)) {
      const Region* r = gazetteer->find(step);
      names.push_back(r ? r->name : step);
    }
    std::cout << "  " << join(names, " \xE2\x80\xBA ") << style.dim(" [" + id + "]")
              << "  because: " << why("region:" + id) << "\n";
  }
  return kExitOk;
}

namespace {

std::string render_diff(const std::vector<DiffOp>& diff, const Style& style) {
  std::string out;
  for (const auto& op : diff) {
    switch (op.kind) {
      case DiffOp::Kind::kEqual:
        out += op.text;
        break;
      case DiffOp::Kind::kDelete:
        out += style.color ? "\033[9;31m" + op.text + "\033[0m" : "[-" + op.text + "-]";
        break;
      case DiffOp::Kind::kInsert:
        out += style.color ? "\033[32m" + op.text + "\033[0m" : "{+" + op.text + "+}";
        break;
    }
  }
  return out;
}

std::string ordinals(const std::vector<std::uint32_t>& list) {
  std::string out;
  for (const auto o : list) out += (out.empty() ? "\xC2\xB6" : "+\xC2\xB6") + std::to_string(o);
  return out;
}

std::string percent(std::size_t part, std::size_t whole) {
  if (whole == 0) return "-";
  // Never round a near match up to 100%: 100% means every word.
  const double share = 100.0 * static_cast<double>(part) / static_cast<double>(whole);
  return part == whole ? "100%" : fmt::format("{:.1f}%", std::min(share, 99.9));
}

std::optional<IndexReader> open_if_present(const std::string& dir) {
  std::error_code ec;
  const std::filesystem::path path(dir);
  if (dir.find(',') == std::string::npos && !std::filesystem::exists(path / "iamglass", ec) &&
      !std::filesystem::exists(path / kShardStubFile, ec)) {
    return std::nullopt;
  }
  return IndexReader::open(IndexLocation::parse(dir));
}

}  // namespace

int run_compare_command(const GlobalOptions& global, const CompareCommandOptions& options) {
  // Files can be compared without an index; ids need one.
  std::optional<IndexReader> reader = open_if_present(global.index_dir);
  const ComparableDoc a = load_comparable(options.a, reader ? &*reader : nullptr, true);
  const ComparableDoc b = load_comparable(options.b, reader ? &*reader : nullptr, true);
  CompareOptions compare_options;
  compare_options.min_shared_words = options.min_words;
  const Comparison c = compare_papers(a, b, compare_options);
  if (global.json) {
    print_json(json::comparison(c));
    return kExitOk;
  }
  const Style style = stdout_style();
  std::size_t splits = 0, merges = 0, regrouped = 0;
  for (const auto& p : c.pairs) {
    splits += p.kind() == "split";
    merges += p.kind() == "merge";
    regrouped += p.kind() == "regrouped";
  }
  std::cout << style.bold(a.meta.title) << "  vs  " << style.bold(b.meta.title) << "\n";
  if (c.identical) std::cout << "The two papers have the same wording throughout.\n";
  std::cout << fmt::format(
      "{} of A's wording is found unchanged in B. {} aligned pairs ({} split, {} merged{}); "
      "{} only in A, {} only in B. ({:.1f} ms)\n",
      percent(c.a_words_found, c.a_words), c.pairs.size(), splits, merges,
      regrouped ? fmt::format(", {} regrouped", regrouped) : "",
      counted(c.a_only.size(), "paragraph"), c.b_only.size(), c.took_ms);
  std::cout << "\n" << style.bold("By section of A") << "\n";
  for (const auto& s : c.sections) {
    std::cout << fmt::format(
        "  {:>5}  {:<60} {:>5}\n", s.number.empty() ? "-" : s.number,
        ellipsize(s.heading.empty() ? "(before the first heading)" : s.heading, 58),
        percent(s.words_found, s.words));
  }
  for (const auto& p : c.pairs) {
    const bool changed = !(p.diff.size() == 1 && p.diff[0].kind == DiffOp::Kind::kEqual);
    if (!changed && !options.all) continue;
    std::cout << "\n"
              << style.bold(ordinals(p.a) + " \xE2\x86\x94 " + ordinals(p.b))
              << style.dim(fmt::format("  {}  similarity {:.2f}", p.kind(), p.similarity)) << "\n  "
              << render_diff(p.diff, style) << "\n";
  }
  const auto print_only = [&](const char* label, const std::vector<std::uint32_t>& list,
                              const ComparableDoc& d) {
    if (list.empty()) return;
    std::cout << "\n" << style.bold(label) << "\n";
    for (const auto o : list) {
      for (const auto& p : d.paragraphs) {
        if (p.ordinal == o)
          std::cout << "  \xC2\xB6" << o << "  " << ellipsize(p.text, 110) << "\n";
      }
    }
  };
  print_only("Only in A", c.a_only, a);
  print_only("Only in B", c.b_only, b);
  return kExitOk;
}

int run_similar_command(const GlobalOptions& global, const SimilarCommandOptions& options) {
  IndexReader reader = IndexReader::open(IndexLocation::parse(global.index_dir));
  ReuseFinder finder(reader);
  SimilarRequest request;
  request.paragraph_id = options.paragraph;
  request.text = options.text;
  request.limit = options.limit;
  request.min_shared_words = options.min_words;
  request.same_document = options.same_document;
  for (const auto& f : options.filters) request.filters.push_back(parse_filter(f));
  const SimilarResponse r = finder.find(request);
  if (global.json) {
    print_json(json::similar(r));
    return kExitOk;
  }
  const Style style = stdout_style();
  std::cout << fmt::format(
      "{} {} wording with the source ({} words; {} candidates checked, {:.1f} ms)\n",
      r.results.size(), r.results.size() == 1 ? "paragraph shares" : "paragraphs share",
      r.source_words, r.candidates, r.took_ms);
  print_partial(style, r.unavailable_shards, "the candidates");
  std::size_t rank = 0;
  for (const auto& h : r.results) {
    std::string head = h.hit.doc.title;
    if (!h.hit.doc.date.empty()) head += " \xC2\xB7 " + h.hit.doc.date;
    std::cout << "\n" << fmt::format("{:>3}. ", ++rank) << style.bold(ellipsize(head, 100)) << "\n";
    if (!h.hit.section.empty())
      std::cout << "     " << style.accent(breadcrumb(h.hit.section, 48)) << "\n";
    std::cout << "     " << render_snippet(h.hit.snippet, style) << "\n     "
              << style.dim(fmt::format(
                     "{} \xC2\xB7 {} shared words ({:.0f}% of the source), longest run {} words",
                     h.hit.id, h.shared_words, 100 * h.share, h.longest))
              << "\n";
  }
  return kExitOk;
}

int run_trace_command(const GlobalOptions& global, const TraceCommandOptions& options) {
  IndexReader reader = IndexReader::open(IndexLocation::parse(global.index_dir));
  TraceRequest request;
  request.phrase = join(options.words, " ");
  request.slack = options.variation;
  request.examples = options.examples;
  for (const auto& f : options.filters) request.filters.push_back(parse_filter(f));
  const TraceResponse r = trace_phrase(reader, request);
  if (global.json) {
    print_json(json::trace(r));
    return kExitOk;
  }
  const Style style = stdout_style();
  std::cout << style.bold(quoted(r.phrase))
            << fmt::format(": {} in {} ({:.1f} ms)\n", counted(r.paragraphs, "paragraph"),
                           counted(r.documents, "paper"), r.took_ms);
  print_partial(style, r.unavailable_shards, "the counts, timeline and occurrences");
  if (r.undated_paragraphs > 0) {
    const std::string occurrences =
        counted(r.undated_paragraphs, "occurrence") + " in papers without a date";
    std::cout << "  "
              << (r.first ? occurrences + " (not on the timeline)"
                          : "no first or latest occurrence and no timeline: " + occurrences)
              << "; give dates via a sidecar (NAME.meta.json) or --metadata\n";
  }
  if (r.first) {
    std::cout << "  first:  " << r.first->doc.date << "  " << r.first->doc.title << "  "
              << style.dim(r.first->id) << "\n";
  }
  if (r.latest) {
    std::cout << "  latest: " << r.latest->doc.date << "  " << r.latest->doc.title << "  "
              << style.dim(r.latest->id) << "\n";
  }
  if (!r.timeline.empty()) {
    std::uint64_t peak = 1;
    for (const auto& y : r.timeline) peak = std::max(peak, y.paragraphs);
    std::cout << "\n"
              << style.bold("Timeline") << " (paragraphs; share of that year's paragraphs)\n";
    for (const auto& y : r.timeline) {
      const std::size_t bar = static_cast<std::size_t>(40.0 * static_cast<double>(y.paragraphs) /
                                                       static_cast<double>(peak));
      std::string blocks;
      for (std::size_t k = 0; k < bar; ++k) blocks += "\xE2\x96\x88";
      std::cout << fmt::format("  {}  {:<40} {:>5}", y.year, blocks, y.paragraphs)
                << style.dim(y.corpus_paragraphs
                                 ? fmt::format("  {:.2f} per 10k",
                                               1e4 * static_cast<double>(y.paragraphs) /
                                                   static_cast<double>(y.corpus_paragraphs))
                                 : "")
                << "\n";
    }
  }
  if (!r.per_document.empty()) {
    std::cout << "\n" << style.bold("Papers") << "\n";
    std::size_t shown = 0;
    for (const auto& d : r.per_document) {
      if (++shown > 15) break;
      std::cout << fmt::format("  {:>4}  ", d.count) << ellipsize(d.label, 80)
                << style.dim(" [" + d.value + "]") << "\n";
    }
  }
  if (!r.examples.empty()) std::cout << "\n" << style.bold("Oldest occurrences") << "\n";
  for (const auto& e : r.examples) {
    std::cout << "  " << e.doc.date << "  " << style.dim(e.id) << "\n    "
              << render_snippet(e.snippet, style) << "\n";
  }
  return kExitOk;
}

int run_serve_command(const GlobalOptions& global, const ServeCommandOptions& options) {
  server::ServeOptions serve;
  serve.index = IndexLocation::parse(global.index_dir);
  serve.http.host = options.host;
  serve.http.port = static_cast<std::uint16_t>(options.port);
  serve.http.threads = options.threads;
  serve.http.header_deadline_seconds = options.header_timeout;
  {
    // Fail early, with the usual message, when there is no index.
    IndexReader reader = IndexReader::open(serve.index);
    std::cout << fmt::format("Concord: {}, {} from {}\n", counted(reader.document_count(), "paper"),
                             counted(reader.paragraph_count(), "paragraph"), global.index_dir);
  }
  server::serve(serve, [](const std::string& url) {
    std::cout << "Serving at " << url << "  (Ctrl-C to stop)" << std::endl;
  });
  std::cout << "Stopped." << std::endl;
  return kExitOk;
}

int run_taxonomy_command(const GlobalOptions& global, bool regions) {
  IndexReader reader = IndexReader::open(IndexLocation::parse(global.index_dir));
  if (regions) {
    const auto gazetteer = reader.gazetteer();
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& r : gazetteer->regions()) {
      if (global.json) {
        list.push_back({{"id", r.id},
                        {"name", r.name},
                        {"kind", r.kind},
                        {"parents", r.parents},
                        {"path", gazetteer->path(r.id)},
                        {"aliases", r.aliases}});
      } else {
        const auto path = gazetteer->path(r.id);
        std::cout << std::string((path.size() - 1) * 2, ' ') << r.name
                  << stdout_style().dim(" [" + r.id + "]") << "\n";
      }
    }
    if (global.json) print_json({{"regions", list}});
    return kExitOk;
  }
  const auto taxonomy = reader.taxonomy();
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& t : taxonomy->topics()) {
    if (global.json) {
      list.push_back(
          {{"id", t.id}, {"label", t.label}, {"about", t.about}, {"phrases", t.phrases}});
    } else {
      std::cout << stdout_style().bold(t.label) << stdout_style().dim(" [" + t.id + "]") << "\n  "
                << t.about << "\n  phrases: " << join(t.phrases, "; ") << "\n";
    }
  }
  if (global.json) print_json({{"topics", list}});
  return kExitOk;
}

}  // namespace concord::cli
