// concord-bench: Concord against SQLite FTS5 (and a plain Xapian TermGenerator loop), on the
// same paragraphs, side by side in one run. A benchmark: it prints figures and ratios; the
// only thing it checks is that the engines agree on what they count (--check).
//
//   concord-bench run --corpus DIR [--metadata CSV] [--paragraphs N] [--work DIR] [--repeat R]
//                     [--json FILE] [--check] [--threads T]
//
// Phases (each but `prepare` runs in its own process, so its peak memory is its own):
//   prepare        parse and tag the corpus once (Concord's ingest and tagger); write a dump
//   build-fts5     FTS5 table (porter unicode61), region/topic as unindexed JSON columns, optimize
//   build-plain    a plain single-threaded Xapian TermGenerator loop (the baseline)
//   build-concord  Concord's index writer on the same papers and tags
//   query-fts5     the query mix: top 10 with snippets, exact total, counts per region and topic
//   query-concord  the same mix through Concord's searcher (snippets and exact facets)
//   frequent-stems the stems in the most paragraphs of Concord indexes (--target A,B --top N),
//                  stop words left out: how src/index/data/word_pairs_en.txt was made
// When --corpus is missing, a generated corpus is used and the report says so.
#include <spawn.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "concord/analysis.hpp"
#include "concord/enrich.hpp"
#include "concord/error.hpp"
#include "concord/index.hpp"
#include "concord/ingest.hpp"
#include "concord/log.hpp"
#include "concord/search.hpp"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using json = nlohmann::ordered_json;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// ---- The dump: papers with paragraphs and tags, length-prefixed binary -----------------

class Writer {
 public:
  explicit Writer(const fs::path& p) : out_(p, std::ios::binary) {}
  void u32(std::uint32_t v) { out_.write(reinterpret_cast<const char*>(&v), 4); }
  void str(const std::string& s) {
    u32(static_cast<std::uint32_t>(s.size()));
    out_.write(s.data(), static_cast<std::streamsize>(s.size()));
  }
  void strs(const std::vector<std::string>& v) {
    u32(static_cast<std::uint32_t>(v.size()));
    for (const auto& s : v) str(s);
  }

 private:
  std::ofstream out_;
};

class Reader {
 public:
  explicit Reader(const fs::path& p) : in_(p, std::ios::binary) {}
  bool at_end() { return in_.peek() == std::char_traits<char>::eof(); }
  std::uint32_t u32() {
    std::uint32_t v = 0;
    in_.read(reinterpret_cast<char*>(&v), 4);
    return v;
  }
  std::string str() {
    std::string s(u32(), '\0');
    in_.read(s.data(), static_cast<std::streamsize>(s.size()));
    return s;
  }
  std::vector<std::string> strs() {
    std::vector<std::string> v(u32());
    for (auto& s : v) s = str();
    return v;
  }

 private:
  std::ifstream in_;
};

void write_paper(Writer& w, const concord::Paper& p, const concord::PaperTags& t) {
  w.str(p.meta.id);
  w.str(p.meta.title);
  w.str(p.meta.date);
  w.str(p.meta.language);
  w.str(p.meta.country);
  w.str(t.country);
  w.str(t.country_name);
  w.u32(static_cast<std::uint32_t>(p.paragraphs.size()));
  for (std::size_t i = 0; i < p.paragraphs.size(); ++i) {
    const auto& para = p.paragraphs[i];
    w.u32(para.ordinal);
    w.str(para.text);
    w.strs(para.section_path);
    w.str(para.section_number);
    const concord::ParagraphTags& tags = t.paragraphs[i];
    w.strs(tags.topics);
    w.strs(tags.regions);
    w.strs(tags.region_ancestors);
  }
}

bool read_paper(Reader& r, concord::Paper& p, concord::PaperTags& t) {
  if (r.at_end()) return false;
  p = concord::Paper{};
  t = concord::PaperTags{};
  p.meta.id = r.str();
  p.meta.title = r.str();
  p.meta.date = r.str();
  p.meta.language = r.str();
  p.meta.country = r.str();
  t.country = r.str();
  t.country_name = r.str();
  const std::uint32_t n = r.u32();
  for (std::uint32_t i = 0; i < n; ++i) {
    concord::Paragraph para;
    para.ordinal = r.u32();
    para.text = r.str();
    para.section_path = r.strs();
    para.section_number = r.str();
    concord::ParagraphTags tags;
    tags.topics = r.strs();
    tags.regions = r.strs();
    tags.region_ancestors = r.strs();
    p.paragraphs.push_back(std::move(para));
    t.paragraphs.push_back(std::move(tags));
  }
  return true;
}

// Visits every paper of a dump.
template <typename Fn>
std::size_t for_each_paper(const fs::path& dump, Fn&& fn) {
  Reader r(dump);
  concord::Paper p;
  concord::PaperTags t;
  std::size_t paragraphs = 0;
  while (read_paper(r, p, t)) {
    paragraphs += p.paragraphs.size();
    fn(p, t);
  }
  return paragraphs;
}

std::string json_array(const std::vector<std::string>& v) {
  return json(v).dump();
}

std::uint64_t directory_bytes(const fs::path& dir) {
  std::uint64_t total = 0;
  std::error_code ec;
  if (fs::is_regular_file(dir, ec)) return fs::file_size(dir, ec);
  for (fs::recursive_directory_iterator it(dir, ec), end; it != end; it.increment(ec)) {
    if (it->is_regular_file(ec)) total += it->file_size(ec);
  }
  return total;
}

// ---- prepare ------------------------------------------------------------------------------

// A generated corpus when the real one is absent: Zipf-distributed words, with place and
// topic words mixed in so that facets have something to count.
void generate_corpus(const fs::path& dump, std::size_t paragraphs, json& info) {
  std::mt19937 rng(1946);
  std::vector<std::string> vocabulary;
  const char* syllables[] = {"ka", "ri", "to", "ma", "ne", "so", "lu",
                             "pa", "di", "ve", "mo", "sa", "te", "ro"};
  for (int i = 0; i < 20000; ++i) {
    std::string w;
    for (int k = 0, n = 2 + i % 3; k < n; ++k) w += syllables[(i * 7 + k * 13 + k * i) % 14];
    vocabulary.push_back(w + std::to_string(i % 97));
  }
  const char* real[] = {"peace", "security", "nuclear",   "climate",     "development", "Africa",
                        "Asia",  "Europe",   "terrorism", "sovereignty", "refugees",    "Nigeria",
                        "China", "Brazil",   "Sahel",     "ocean"};
  std::vector<double> weights(vocabulary.size());
  for (std::size_t i = 0; i < weights.size(); ++i) weights[i] = 1.0 / static_cast<double>(i + 1);
  std::discrete_distribution<std::size_t> zipf(weights.begin(), weights.end());
  concord::Tagger tagger(concord::Taxonomy::builtin(), concord::Gazetteer::builtin());
  Writer w(dump);
  std::size_t made = 0, doc = 0;
  while (made < paragraphs) {
    concord::Paper paper;
    paper.meta.id = "gen-" + std::to_string(doc);
    paper.meta.title = "Generated paper " + std::to_string(doc);
    paper.meta.date = std::to_string(1990 + doc % 35);
    paper.meta.language = "en";
    for (int k = 0; k < 40 && made < paragraphs; ++k, ++made) {
      concord::Paragraph para;
      para.ordinal = static_cast<std::uint32_t>(k + 1);
      for (int n = 0; n < 60; ++n) {
        para.text += (n ? " " : "") +
                     (rng() % 9 == 0 ? std::string(real[rng() % 16]) : vocabulary[zipf(rng)]);
      }
      para.text += ".";
      paper.paragraphs.push_back(std::move(para));
    }
    write_paper(w, paper, tagger.tag(paper));
    ++doc;
  }
  info["corpus"] = "generated (no ../shared/corpus): Zipf words with real place and topic words";
}

json prepare(const fs::path& corpus, const std::string& metadata, std::size_t limit,
             const fs::path& dump) {
  json info;
  const auto started = Clock::now();
  std::error_code ec;
  if (corpus.empty() || !fs::exists(corpus, ec)) {
    generate_corpus(dump, limit ? limit : 20000, info);
  } else {
    std::vector<std::string> missing;
    const auto files = concord::collect_files({corpus}, {}, missing);
    std::optional<concord::MetadataTable> table;
    if (!metadata.empty()) table = concord::MetadataTable::load(metadata);
    concord::Tagger tagger(concord::Taxonomy::builtin(), concord::Gazetteer::builtin());
    Writer w(dump);
    std::size_t paragraphs = 0;
    for (const auto& f : files) {
      if (limit && paragraphs >= limit) break;
      try {
        const auto source = concord::load_source(f.path);
        const concord::DocumentMeta* row = table ? table->find(f.path, f.root) : nullptr;
        concord::Paper paper = concord::parse_source(source, {}, row);
        if (limit && paragraphs + paper.paragraphs.size() > limit)
          paper.paragraphs.resize(limit - paragraphs);
        paragraphs += paper.paragraphs.size();
        write_paper(w, paper, tagger.tag(paper));
      } catch (const concord::Error&) {
        // A file the ingest refuses is not part of the benchmark corpus.
      }
    }
    info["corpus"] = corpus.string();
  }
  std::size_t papers = 0, paragraphs = 0, bytes = 0;
  for_each_paper(dump, [&](const concord::Paper& p, const concord::PaperTags&) {
    ++papers;
    paragraphs += p.paragraphs.size();
    for (const auto& para : p.paragraphs) bytes += para.text.size();
  });
  info["papers"] = papers;
  info["paragraphs"] = paragraphs;
  info["text_mb"] = static_cast<double>(bytes) / 1e6;
  info["prepare_seconds"] = seconds_since(started);
  return info;
}

// ---- build phases ---------------------------------------------------------------------------

void sqlite_check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db));
  }
}

json build_fts5(const fs::path& dump, const fs::path& db_path) {
  fs::remove(db_path);
  fs::remove(db_path.string() + "-wal");
  sqlite3* db = nullptr;
  sqlite_check(sqlite3_open(db_path.c_str(), &db), db, "open");
  const auto started = Clock::now();
  sqlite_check(
      sqlite3_exec(db,
                   "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;"
                   "CREATE VIRTUAL TABLE paras USING fts5(text, doc UNINDEXED, year UNINDEXED, "
                   "region UNINDEXED, topic UNINDEXED, tokenize='porter unicode61');"
                   "BEGIN;",
                   nullptr, nullptr, nullptr),
      db, "create");
  sqlite3_stmt* insert = nullptr;
  sqlite_check(
      sqlite3_prepare_v2(db, "INSERT INTO paras(text, doc, year, region, topic) VALUES (?,?,?,?,?)",
                         -1, &insert, nullptr),
      db, "prepare insert");
  std::size_t bytes = 0;
  const std::size_t paragraphs =
      for_each_paper(dump, [&](const concord::Paper& p, const concord::PaperTags& t) {
        for (std::size_t i = 0; i < p.paragraphs.size(); ++i) {
          const std::string regions = json_array(t.paragraphs[i].region_ancestors);
          const std::string topics = json_array(t.paragraphs[i].topics);
          bytes += p.paragraphs[i].text.size();
          sqlite3_bind_text(insert, 1, p.paragraphs[i].text.c_str(), -1, SQLITE_TRANSIENT);
          sqlite3_bind_text(insert, 2, p.meta.id.c_str(), -1, SQLITE_TRANSIENT);
          sqlite3_bind_int(insert, 3, std::atoi(p.meta.date.substr(0, 4).c_str()));
          sqlite3_bind_text(insert, 4, regions.c_str(), -1, SQLITE_TRANSIENT);
          sqlite3_bind_text(insert, 5, topics.c_str(), -1, SQLITE_TRANSIENT);
          sqlite_check(sqlite3_step(insert), db, "insert");
          sqlite3_reset(insert);
        }
      });
  sqlite3_finalize(insert);
  sqlite_check(
      sqlite3_exec(
          db,
          "COMMIT; INSERT INTO paras(paras) VALUES('optimize'); PRAGMA wal_checkpoint(TRUNCATE);",
          nullptr, nullptr, nullptr),
      db, "commit");
  const double seconds = seconds_since(started);
  sqlite3_close(db);
  return {{"seconds", seconds},
          {"paragraphs", paragraphs},
          {"bytes", bytes},
          {"size", directory_bytes(db_path)}};
}

json build_plain(const fs::path& dump, const fs::path& dir) {
  fs::remove_all(dir);
  const auto started = Clock::now();
  Xapian::WritableDatabase db(dir.string(), Xapian::DB_CREATE_OR_OVERWRITE);
  Xapian::TermGenerator tg;
  tg.set_stemmer(Xapian::Stem("english"));
  std::size_t bytes = 0;
  const std::size_t paragraphs =
      for_each_paper(dump, [&](const concord::Paper& p, const concord::PaperTags&) {
        for (const auto& para : p.paragraphs) {
          Xapian::Document doc;
          tg.set_document(doc);
          tg.index_text(para.text);
          doc.set_data(para.text);
          db.add_document(doc);
          bytes += para.text.size();
        }
      });
  db.commit();
  db.close();
  return {{"seconds", seconds_since(started)},
          {"paragraphs", paragraphs},
          {"bytes", bytes},
          {"size", directory_bytes(dir)}};
}

json build_concord(const fs::path& dump, const fs::path& dir) {
  fs::remove_all(dir);
  const auto started = Clock::now();
  concord::IndexWriter writer = concord::IndexWriter::open(dir);
  writer.set_tagging_data(concord::Taxonomy::builtin()->source(),
                          concord::Gazetteer::builtin()->source());
  std::size_t bytes = 0;
  const std::size_t paragraphs =
      for_each_paper(dump, [&](const concord::Paper& p, const concord::PaperTags& t) {
        for (const auto& para : p.paragraphs) bytes += para.text.size();
        writer.put(p, "bench", t);
      });
  writer.commit();
  return {{"seconds", seconds_since(started)},
          {"paragraphs", paragraphs},
          {"bytes", bytes},
          {"size", directory_bytes(dir)}};
}

// ---- queries --------------------------------------------------------------------------------

struct Query {
  std::string kind;
  std::string concord;  // Concord's query language
  std::string fts;      // FTS5 MATCH expression
  std::string region;   // optional region filter (an id)
  std::string topic;    // optional topic filter
};

const std::vector<Query>& full_query_mix();

// The fixed mix, or the queries whose text contains CONCORD_BENCH_ONLY (for profiling one).
const std::vector<Query>& query_mix() {
  static const std::vector<Query> mix = [] {
    const char* only = std::getenv("CONCORD_BENCH_ONLY");
    if (only == nullptr || *only == '\0') return full_query_mix();
    std::vector<Query> some;
    for (const auto& q : full_query_mix()) {
      if (q.concord.find(only) != std::string::npos) some.push_back(q);
    }
    return some;
  }();
  return mix;
}

const std::vector<Query>& full_query_mix() {
  static const std::vector<Query> mix = {
      {"term", "peace", "peace", "", ""},
      {"term", "security", "security", "", ""},
      {"term", "nuclear", "nuclear", "", ""},
      {"term", "climate", "climate", "", ""},
      {"term", "terrorism", "terrorism", "", ""},
      {"term", "sovereignty", "sovereignty", "", ""},
      {"term", "refugees", "refugees", "", ""},
      {"term", "apartheid", "apartheid", "", ""},
      {"term", "fisheries", "fisheries", "", ""},
      {"and", "nuclear disarmament", "nuclear AND disarmament", "", ""},
      {"and", "climate change adaptation", "climate AND change AND adaptation", "", ""},
      {"and", "human rights violations", "human AND rights AND violations", "", ""},
      {"or", "refugees OR migrants", "refugees OR migrants", "", ""},
      {"or", "piracy OR terrorism OR drugs", "piracy OR terrorism OR drugs", "", ""},
      {"phrase", "\"indivisible security\"", "\"indivisible security\"", "", ""},
      {"phrase", "\"international community\"", "\"international community\"", "", ""},
      {"phrase", "\"sustainable development goals\"", "\"sustainable development goals\"", "", ""},
      {"phrase", "\"cold war\"", "\"cold war\"", "", ""},
      {"filter", "peace", "peace", "africa", ""},
      {"filter", "security", "security", "middle-east", ""},
      {"filter", "development", "development", "", "climate-environment"},
      // Concord also finds "co-operation" (the written-together form of a hyphenated word),
      // which unicode61 splits in two, so FTS5 asks for both (on UNGDC: 385 paragraphs instead
      // of 212; Concord 381).
      {"filter", "cooperation", "cooperation OR \"co operation\"", "asia", "maritime"},
  };
  return mix;
}

struct QueryResult {
  double ms = 0;
  std::uint64_t total = 0;
};

// FTS5: the top ten with snippets, the exact total, and counts per region and per topic.
class Fts5Runner {
 public:
  explicit Fts5Runner(const fs::path& path) {
    sqlite_check(sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr), db_, "open");
    sqlite3_exec(db_, "PRAGMA cache_size=-65536;", nullptr, nullptr, nullptr);
  }
  ~Fts5Runner() {
    for (auto& [sql, s] : cache_) sqlite3_finalize(s);
    sqlite3_close(db_);
  }
  Fts5Runner(const Fts5Runner&) = delete;
  Fts5Runner& operator=(const Fts5Runner&) = delete;

  QueryResult run(const Query& q, bool facets = true) {
    std::string where = "paras MATCH ?1";
    if (!q.region.empty())
      where += " AND EXISTS (SELECT 1 FROM json_each(paras.region) WHERE value = ?2)";
    if (!q.topic.empty())
      where += " AND EXISTS (SELECT 1 FROM json_each(paras.topic) WHERE value = ?3)";
    const auto started = Clock::now();
    QueryResult r;
    r.total = static_cast<std::uint64_t>(scalar("SELECT count(*) FROM paras WHERE " + where, q));
    rows("SELECT rowid, doc, snippet(paras, 0, '<mark>', '</mark>', '...', 30) FROM paras WHERE " +
             where + " ORDER BY rank LIMIT 10",
         q);
    if (facets) {
      rows("SELECT j.value, count(*) FROM paras, json_each(paras.region) AS j WHERE " + where +
               " GROUP BY j.value",
           q);
      rows("SELECT j.value, count(*) FROM paras, json_each(paras.topic) AS j WHERE " + where +
               " GROUP BY j.value",
           q);
    }
    r.ms = seconds_since(started) * 1000;
    return r;
  }

 private:
  sqlite3_stmt* prepared(const std::string& sql, const Query& q) {
    auto it = cache_.find(sql);
    if (it == cache_.end()) {
      sqlite3_stmt* s = nullptr;
      sqlite_check(sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr), db_, "prepare");
      it = cache_.emplace(sql, s).first;
    }
    sqlite3_stmt* s = it->second;
    sqlite3_reset(s);
    sqlite3_bind_text(s, 1, q.fts.c_str(), -1, SQLITE_TRANSIENT);
    if (!q.region.empty()) sqlite3_bind_text(s, 2, q.region.c_str(), -1, SQLITE_TRANSIENT);
    if (!q.topic.empty()) sqlite3_bind_text(s, 3, q.topic.c_str(), -1, SQLITE_TRANSIENT);
    return s;
  }
  long long scalar(const std::string& sql, const Query& q) {
    sqlite3_stmt* s = prepared(sql, q);
    return sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
  }
  void rows(const std::string& sql, const Query& q) {
    sqlite3_stmt* s = prepared(sql, q);
    while (sqlite3_step(s) == SQLITE_ROW) {
      for (int c = 0; c < sqlite3_column_count(s); ++c)
        sink_ += static_cast<std::size_t>(sqlite3_column_bytes(s, c));
    }
  }
  sqlite3* db_ = nullptr;
  std::map<std::string, sqlite3_stmt*> cache_;
  std::size_t sink_ = 0;
};

class ConcordRunner {
 public:
  explicit ConcordRunner(const fs::path& dir)
      : reader_(concord::IndexReader::open(concord::IndexLocation::parse(dir.string()))),
        searcher_(reader_) {
    reader_.keep_facets_in_memory(true);  // as `concord serve` does
  }
  QueryResult run(const Query& q, bool facets = true) {
    concord::SearchRequest request;
    request.query = q.concord;
    request.limit = 10;
    request.facets.enabled = facets;
    if (!q.region.empty()) request.filters.push_back({"region", q.region, false});
    if (!q.topic.empty()) request.filters.push_back({"topic", q.topic, false});
    const auto started = Clock::now();
    const auto response = searcher_.search(request);
    QueryResult r;
    r.ms = seconds_since(started) * 1000;
    r.total = response.total;
    return r;
  }

 private:
  concord::IndexReader reader_;
  concord::Searcher searcher_;
};

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto k = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size())));
  return v[std::min(v.size() - 1, k == 0 ? 0 : k - 1)];
}

template <typename Runner>
json run_queries(const fs::path& where, int repeat) {
  const auto& mix = query_mix();
  json out;
  std::vector<double> latencies;
  json totals = json::object();
  std::map<std::string, std::vector<double>> per_query;  // where the tail comes from
  {
    Runner runner(where);
    for (const auto& q : mix) runner.run(q);  // warm the caches once
    for (int r = 0; r < repeat; ++r) {
      for (const auto& q : mix) {
        const QueryResult res = runner.run(q);
        latencies.push_back(res.ms);
        const std::string name = q.kind + ": " + q.concord +
                                 (q.region.empty() ? "" : " region:" + q.region) +
                                 (q.topic.empty() ? "" : " topic:" + q.topic);
        totals[name] = res.total;
        per_query[name].push_back(res.ms);
      }
    }
  }
  json medians = json::object();
  for (const auto& [name, ms] : per_query) medians[name] = percentile(ms, 0.5);
  out["median_ms_by_query"] = medians;
  // Throughput: two client threads, each with its own connection or reader.
  std::atomic<std::size_t> done{0};
  const auto started = Clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&] {
      Runner runner(where);
      for (int r = 0; r < repeat; ++r) {
        for (const auto& q : mix) {
          runner.run(q);
          ++done;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  const double elapsed = seconds_since(started);
  out["queries"] = latencies.size();
  out["p50_ms"] = percentile(latencies, 0.50);
  out["p95_ms"] = percentile(latencies, 0.95);
  out["p99_ms"] = percentile(latencies, 0.99);
  out["max_ms"] = percentile(latencies, 1.0);
  out["throughput_qps_2_threads"] = static_cast<double>(done) / elapsed;
  out["totals"] = totals;
  return out;
}

// Facet counting cost: the same queries with and without facets, per matching paragraph.
// Word stems ranked by the mean share of paragraphs that have them, over several indexes,
// so that no one collection decides alone. Prints one stem per line.
void print_frequent_stems(const std::string& targets, std::size_t top) {
  std::set<std::string> stop;
  const concord::Analyzer analyzer("english");
  for (const auto word : concord::english_stop_words()) stop.insert(analyzer.stem(word));
  std::map<std::string, double> share;
  std::size_t indexes = 0;
  std::stringstream list(targets);
  for (std::string target; std::getline(list, target, ',');) {
    Xapian::Database db(target);
    const double paragraphs = std::max<double>(1, db.get_termfreq("KP"));
    for (auto it = db.allterms_begin(); it != db.allterms_end(); ++it) {
      const std::string stem = *it;
      const bool plain_word = stem.size() >= 2 && std::all_of(stem.begin(), stem.end(), [](char c) {
                                return c >= 'a' && c <= 'z';
                              });
      if (plain_word && stop.count(stem) == 0) share[stem] += it.get_termfreq() / paragraphs;
    }
    ++indexes;
  }
  std::vector<std::pair<double, std::string>> ranked;
  for (const auto& [stem, s] : share) ranked.emplace_back(-s / static_cast<double>(indexes), stem);
  std::sort(ranked.begin(), ranked.end());
  ranked.resize(std::min(top, ranked.size()));
  for (const auto& [s, stem] : ranked) std::printf("%s\n", stem.c_str());
}

json facet_cost(const fs::path& where, int repeat) {
  ConcordRunner runner(where);
  double with = 0, without = 0;
  std::uint64_t matches = 0;
  for (const auto& q : query_mix()) {
    runner.run(q);
    runner.run(q, false);
  }
  for (int r = 0; r < repeat; ++r) {
    for (const auto& q : query_mix()) {
      const auto a = runner.run(q, true);
      const auto b = runner.run(q, false);
      with += a.ms;
      without += b.ms;
      matches += a.total;
    }
  }
  return {{"ms_with_facets", with},
          {"ms_without_facets", without},
          {"matches", matches},
          {"ns_per_match", matches ? (with - without) * 1e6 / static_cast<double>(matches) : 0.0}};
}

// ---- orchestration --------------------------------------------------------------------------

struct ChildResult {
  json result;
  long peak_rss_kib = 0;
};

ChildResult run_phase(const std::string& self, const std::vector<std::string>& args) {
  int pipe_fd[2];
  if (pipe(pipe_fd) != 0) throw std::runtime_error("pipe");
  std::vector<std::string> argv{self};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> raw;
  for (auto& a : argv) raw.push_back(a.data());
  raw.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fd[1], 1);
  pid_t pid = 0;
  if (posix_spawn(&pid, self.c_str(), &actions, nullptr, raw.data(), environ) != 0)
    throw std::runtime_error("spawn");
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fd[1]);
  std::string out;
  char buffer[4096];
  for (ssize_t n; (n = read(pipe_fd[0], buffer, sizeof buffer)) > 0;)
    out.append(buffer, static_cast<std::size_t>(n));
  close(pipe_fd[0]);
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error("phase " + args[0] + " failed");
  return {json::parse(out), usage.ru_maxrss};
}

std::string arg(const std::vector<std::string>& a, const std::string& name,
                const std::string& fallback = {}) {
  for (std::size_t i = 0; i + 1 < a.size(); ++i) {
    if (a[i] == name) return a[i + 1];
  }
  return fallback;
}

bool flag(const std::vector<std::string>& a, const std::string& name) {
  return std::find(a.begin(), a.end(), name) != a.end();
}

int run_all(const std::string& self, const std::vector<std::string>& a) {
  const fs::path work = arg(a, "--work", "bench-work");
  fs::create_directories(work);
  const fs::path dump = work / "corpus.dump";
  // 10 rounds of the 22-query mix: a p99 of fewer than 100 samples is just the slowest query.
  const int repeat = std::stoi(arg(a, "--repeat", "10"));
  std::printf("preparing the corpus...\n");
  std::fflush(stdout);
  json report;
  // Parsing and tagging the corpus takes a minute or more; --reuse-corpus skips it when the
  // dump of an earlier run was made from the same corpus, metadata and paragraph limit.
  const json made_from = {{"corpus", arg(a, "--corpus")},
                          {"metadata", arg(a, "--metadata")},
                          {"paragraphs", arg(a, "--paragraphs", "0")}};
  const fs::path dump_info = work / "corpus.json";
  std::error_code ec;
  if (flag(a, "--reuse-corpus") && fs::exists(dump, ec) && fs::exists(dump_info, ec)) {
    std::ifstream in(dump_info);
    const json saved = json::parse(in, nullptr, false);
    if (!saved.is_discarded() && saved.value("made_from", json()) == made_from) {
      report["corpus"] = saved["info"];
      std::printf("reusing %s\n", dump.c_str());
    }
  }
  if (!report.contains("corpus")) {
    fs::remove(dump_info, ec);  // the dump is rewritten now; an interrupted run leaves none
    report["corpus"] = prepare(arg(a, "--corpus"), arg(a, "--metadata"),
                               std::stoul(arg(a, "--paragraphs", "0")), dump);
    std::ofstream(dump_info) << json{{"made_from", made_from}, {"info", report["corpus"]}}.dump()
                             << "\n";
  }
  const json& corpus = report["corpus"];
  const double mb = corpus["text_mb"].get<double>();
  const double paragraphs = corpus["paragraphs"].get<double>();
  std::printf(
      "corpus: %s\n  %.0f papers, %.0f paragraphs, %.1f MB of text (parsed and tagged in %.1f s)\n",
      corpus["corpus"].get<std::string>().c_str(), corpus["papers"].get<double>(), paragraphs, mb,
      corpus["prepare_seconds"].get<double>());
  std::fflush(stdout);
  json engines;
  const auto build = [&](const std::string& name, const std::string& phase,
                         const fs::path& target) {
    std::printf("building %s...\n", name.c_str());
    std::fflush(stdout);
    const ChildResult r =
        run_phase(self, {phase, "--dump", dump.string(), "--target", target.string()});
    json e = r.result;
    e["peak_rss_mib"] = static_cast<double>(r.peak_rss_kib) / 1024.0;
    e["paragraphs_per_second"] = paragraphs / e["seconds"].get<double>();
    e["mb_per_second"] = mb / e["seconds"].get<double>();
    engines[name]["index"] = e;
  };
  build("fts5", "build-fts5", work / "fts5.db");
  if (!flag(a, "--skip-baseline")) build("xapian-plain", "build-plain", work / "xapian-plain");
  build("concord", "build-concord", work / "concord");
  for (const auto& [name, phase, target] :
       std::vector<std::tuple<std::string, std::string, fs::path>>{
           {"fts5", "query-fts5", work / "fts5.db"},
           {"concord", "query-concord", work / "concord"}}) {
    std::printf("querying %s...\n", name.c_str());
    std::fflush(stdout);
    const ChildResult r =
        run_phase(self, {phase, "--target", target.string(), "--repeat", std::to_string(repeat)});
    engines[name]["query"] = r.result;
    engines[name]["query"]["peak_rss_mib"] = static_cast<double>(r.peak_rss_kib) / 1024.0;
  }
  report["engines"] = engines;
  const json& c = engines["concord"];
  const json& f = engines["fts5"];
  const auto ratio = [](double x, double y) { return y > 0 ? x / y : 0.0; };
  json ratios = {
      {"index_paragraphs_per_second", ratio(c["index"]["paragraphs_per_second"].get<double>(),
                                            f["index"]["paragraphs_per_second"].get<double>())},
      {"index_size", ratio(c["index"]["size"].get<double>(), f["index"]["size"].get<double>())},
      {"query_p50", ratio(c["query"]["p50_ms"].get<double>(), f["query"]["p50_ms"].get<double>())},
      {"query_p99", ratio(c["query"]["p99_ms"].get<double>(), f["query"]["p99_ms"].get<double>())},
      {"throughput", ratio(c["query"]["throughput_qps_2_threads"].get<double>(),
                           f["query"]["throughput_qps_2_threads"].get<double>())}};
  if (engines.contains("xapian-plain")) {
    ratios["index_vs_plain_xapian"] =
        ratio(c["index"]["paragraphs_per_second"].get<double>(),
              engines["xapian-plain"]["index"]["paragraphs_per_second"].get<double>());
  }
  report["ratios_concord_over_fts5"] = ratios;
  report["facet_cost"] = run_phase(self, {"facet-cost", "--target", (work / "concord").string(),
                                          "--repeat", std::to_string(repeat)})
                             .result;

  std::printf("\n%-13s %12s %7s %9s %10s %8s %8s %8s %11s %10s\n", "engine", "index para/s", "MB/s",
              "size MiB", "index RSS", "p50 ms", "p95 ms", "p99 ms", "qps 2 thr", "query RSS");
  for (const auto& [name, e] : engines.items()) {
    const json& idx = e["index"];
    std::printf("%-13s %12.0f %7.2f %9.1f %9.0fM", name.c_str(),
                idx["paragraphs_per_second"].get<double>(), idx["mb_per_second"].get<double>(),
                idx["size"].get<double>() / 1048576.0, idx["peak_rss_mib"].get<double>());
    if (e.contains("query")) {
      const json& qr = e["query"];
      std::printf(" %8.2f %8.2f %8.2f %11.1f %9.0fM\n", qr["p50_ms"].get<double>(),
                  qr["p95_ms"].get<double>(), qr["p99_ms"].get<double>(),
                  qr["throughput_qps_2_threads"].get<double>(), qr["peak_rss_mib"].get<double>());
    } else {
      std::printf("\n");
    }
  }
  std::printf(
      "\nConcord / FTS5 in this run: indexing throughput %.2fx, index size %.2fx, p50 %.3fx, p99 "
      "%.3fx "
      "(FTS5 p99 is %.1fx Concord's), throughput %.2fx\n",
      ratios["index_paragraphs_per_second"].get<double>(), ratios["index_size"].get<double>(),
      ratios["query_p50"].get<double>(), ratios["query_p99"].get<double>(),
      ratio(1.0, ratios["query_p99"].get<double>()), ratios["throughput"].get<double>());
  if (ratios.contains("index_vs_plain_xapian")) {
    std::printf("Concord indexing / plain Xapian TermGenerator loop: %.2fx\n",
                ratios["index_vs_plain_xapian"].get<double>());
  }
  std::printf(
      "facet counting: %.1f ns per matching paragraph (%llu matches over the mix)\n",
      report["facet_cost"]["ns_per_match"].get<double>(),
      static_cast<unsigned long long>(report["facet_cost"]["matches"].get<std::uint64_t>()));

  // Do the two engines count the same paragraphs? Single terms must agree within the
  // stemmers' known differences (Porter in FTS5, Snowball English in Concord).
  int disagreements = 0;
  std::printf("\nmatch counts (Concord, FTS5):\n");
  for (const auto& [query, total] : c["query"]["totals"].items()) {
    const double x = total.get<double>();
    const double y = f["query"]["totals"].value(query, json(-1)).get<double>();
    const double diff = std::abs(x - y) / std::max(1.0, std::max(x, y));
    const bool off = query.rfind("term: ", 0) == 0 && diff > 0.02;
    disagreements += off ? 1 : 0;
    std::printf("  %-58s %9.0f %9.0f  %5.1f%%%s\n", query.c_str(), x, y, diff * 100,
                off ? "  <- differs" : "");
  }
  report["single_term_disagreements"] = disagreements;
  if (const std::string out = arg(a, "--json"); !out.empty())
    std::ofstream(out) << report.dump(2) << "\n";
  if (flag(a, "--check") && disagreements > 0) {
    std::printf("\nFAIL: %d single-term queries differ by more than 2%% between the engines\n",
                disagreements);
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> a(argv + 1, argv + argc);
  if (a.empty()) {
    std::fprintf(
        stderr,
        "usage: concord-bench run [--corpus DIR] [--metadata CSV] [--paragraphs N] [--work DIR] "
        "[--repeat R] [--json FILE] [--check] [--skip-baseline] [--reuse-corpus]\n");
    return 2;
  }
  try {
    concord::setup_logging(concord::default_log_level());  // CONCORD_LOG=debug: build stages
    const std::string& phase = a[0];
    const fs::path target = arg(a, "--target");
    const fs::path dump = arg(a, "--dump");
    const int repeat = std::stoi(arg(a, "--repeat", "10"));  // see run_all()
    json out;
    if (phase == "run") return run_all(fs::canonical("/proc/self/exe").string(), a);
    if (phase == "frequent-stems") {
      print_frequent_stems(arg(a, "--target"), std::stoul(arg(a, "--top", "1000")));
      return 0;
    }
    if (phase == "build-fts5")
      out = build_fts5(dump, target);
    else if (phase == "build-plain")
      out = build_plain(dump, target);
    else if (phase == "build-concord")
      out = build_concord(dump, target);
    else if (phase == "query-fts5")
      out = run_queries<Fts5Runner>(target, repeat);
    else if (phase == "query-concord")
      out = run_queries<ConcordRunner>(target, repeat);
    else if (phase == "facet-cost")
      out = facet_cost(target, repeat);
    else
      throw std::runtime_error("unknown phase " + phase);
    std::printf("%s\n", out.dump().c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "concord-bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
