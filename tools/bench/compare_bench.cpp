// concord-compare-bench: latency of reuse search and of comparing two papers, on an index.
// A benchmark (it prints figures, it asserts nothing about time).
//
//   concord-compare-bench --index DIR [--sources N] [--min-words K] [--json]
//                         [--compare-files A B] [--recall N]
//
// Reuse search: N source paragraphs picked evenly across the index's papers, each searched
// once after a warm-up; prints p50/p95/max latency and the index size.
// Compare: two 200-paragraph papers built from real statements in the index (one country's
// statements in year order, and the same country's statements one year later), compared five
// times; prints the median. --compare-files also times two real papers read from files.
// --recall N: for N source paragraphs, every paragraph of the index (outside the source's paper)
// sharing a run of K+ words, found by scanning the whole index, against what reuse search
// returns (limit 1000), by the length of the longest shared run. A scan of the whole index:
// meant for indexes of some ten thousand paragraphs.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include "concord/analysis.hpp"
#include "concord/compare.hpp"
#include "concord/error.hpp"
#include "concord/index.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

// Paragraphs of papers taken in order until `count` are collected.
concord::ComparableDoc assemble(const concord::IndexReader& reader,
                                const std::vector<std::string>& ids, std::size_t count) {
  concord::ComparableDoc out;
  out.meta.id = ids.empty() ? "none" : ids.front() + "+";
  for (const auto& id : ids) {
    for (auto& r : reader.paragraphs(id, 1, 100000)) {
      if (out.paragraphs.size() == count) return out;
      r.paragraph.ordinal = static_cast<std::uint32_t>(out.paragraphs.size() + 1);
      r.paragraph.section = -1;
      out.paragraphs.push_back(std::move(r.paragraph));
    }
  }
  return out;
}

// Hashes of every run of k consecutive normalised words.
std::vector<std::uint64_t> runs_of(const std::vector<concord::Token>& tokens, std::size_t k) {
  std::vector<std::uint64_t> out;
  for (std::size_t i = 0; i + k <= tokens.size(); ++i) {
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (std::size_t j = i; j < i + k; ++j) {
      for (const char c : tokens[j].term)
        h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
      h = (h ^ 0xff) * 0x100000001b3ull;
    }
    out.push_back(h);
  }
  return out;
}

// Longest run of consecutive equal words of a and b (a quadratic scan: paragraphs are short).
std::size_t longest_shared(const std::vector<concord::Token>& a,
                           const std::vector<concord::Token>& b) {
  std::size_t best = 0;
  std::vector<std::size_t> prev(b.size() + 1, 0), cur(b.size() + 1, 0);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      cur[j] = a[i - 1].term == b[j - 1].term ? prev[j - 1] + 1 : 0;
      best = std::max(best, cur[j]);
    }
    std::swap(prev, cur);
  }
  return best;
}

// Recall of reuse search against a scan of the whole index, by longest shared run.
void recall(concord::IndexReader& reader, const std::vector<std::string>& ids, std::size_t sources,
            std::size_t min_words) {
  const concord::Analyzer analyzer(reader.stem_language());
  struct Para {
    std::string id, doc;
    std::vector<concord::Token> tokens;
    std::vector<std::uint64_t> runs;
  };
  std::vector<Para> all;
  for (const auto& id : ids) {
    for (auto& r : reader.paragraphs(id, 1, 1000000)) {
      Para p{r.id, r.doc_id, analyzer.tokenize(r.paragraph.text), {}};
      p.runs = runs_of(p.tokens, min_words);
      all.push_back(std::move(p));
    }
  }
  concord::ReuseFinder finder(reader);
  // Buckets of the longest shared run: K, K+1, ..., 12, and 13 or more.
  std::map<std::size_t, std::pair<std::size_t, std::size_t>> buckets;  // run -> (truth, found)
  std::size_t used = 0, probes = 0, guaranteed = 0;
  for (std::size_t k = 0; used < sources && k < all.size(); ++k) {
    const Para& src = all[(k * 7919) % all.size()];
    if (src.tokens.size() < min_words) continue;
    ++used;
    const std::unordered_set<std::uint64_t> mine(src.runs.begin(), src.runs.end());
    concord::SimilarRequest request;
    request.paragraph_id = src.id;
    request.limit = 1000;
    request.min_shared_words = min_words;
    const auto r = finder.find(request);
    probes += r.probes;
    guaranteed = std::max(guaranteed, r.guaranteed_run);
    std::set<std::string> found;
    for (const auto& h : r.results) found.insert(h.hit.id);
    for (const Para& p : all) {
      if (p.doc == src.doc) continue;
      if (std::none_of(p.runs.begin(), p.runs.end(),
                       [&](std::uint64_t h) { return mine.count(h) > 0; }))
        continue;
      const std::size_t run = longest_shared(src.tokens, p.tokens);
      if (run < min_words) continue;  // a hash collision
      auto& b = buckets[std::min<std::size_t>(run, 13)];
      ++b.first;
      b.second += found.count(p.id);
    }
  }
  std::size_t truth = 0, hit = 0;
  std::printf(
      "recall of reuse search (min %zu words, limit 1000) on %zu sources, %zu paragraphs;"
      " %.1f probes per source, guaranteed runs of at most %zu words:\n",
      min_words, used, all.size(),
      used ? static_cast<double>(probes) / static_cast<double>(used) : 0.0, guaranteed);
  for (const auto& [run, tf] : buckets) {
    truth += tf.first;
    hit += tf.second;
    std::printf("  longest shared run %2zu%s words: %5zu paragraphs, found %5zu (%.1f%%)\n", run,
                run == 13 ? "+" : " ", tf.first, tf.second,
                100.0 * static_cast<double>(tf.second) / static_cast<double>(tf.first));
  }
  std::printf("  all: %zu paragraphs, found %zu (%.1f%%)\n", truth, hit,
              truth ? 100.0 * static_cast<double>(hit) / static_cast<double>(truth) : 100.0);
}

}  // namespace

int main(int argc, char** argv) {
  std::string index;
  std::size_t sources = 50, min_words = 5, recall_sources = 0;
  std::string file_a, file_b;
  bool json = false;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--index") && i + 1 < argc)
      index = argv[++i];
    else if (!std::strcmp(argv[i], "--sources") && i + 1 < argc)
      sources = std::stoul(argv[++i]);
    else if (!std::strcmp(argv[i], "--min-words") && i + 1 < argc)
      min_words = std::stoul(argv[++i]);
    else if (!std::strcmp(argv[i], "--recall") && i + 1 < argc)
      recall_sources = std::stoul(argv[++i]);
    else if (!std::strcmp(argv[i], "--compare-files") && i + 2 < argc) {
      file_a = argv[++i];
      file_b = argv[++i];
    } else if (!std::strcmp(argv[i], "--json"))
      json = true;
    else {
      std::fprintf(stderr,
                   "usage: %s --index DIR [--sources N] [--min-words K] [--json] "
                   "[--compare-files A B] [--recall N]\n",
                   argv[0]);
      return 2;
    }
  }
  try {
    concord::IndexReader reader =
        concord::IndexReader::open(concord::IndexLocation::directory(index));
    const auto table = reader.document_table();
    std::vector<std::string> ids;
    for (const auto& [id, doc] : *table) ids.push_back(id);

    if (recall_sources > 0) {
      recall(reader, ids, recall_sources, min_words);
      return 0;
    }

    // Reuse search.
    concord::ReuseFinder finder(reader);
    std::vector<std::string> picks;
    for (std::size_t k = 0; k < sources + 5 && !ids.empty(); ++k) {
      const auto& doc = table->at(ids[(k * 7919) % ids.size()]);
      picks.push_back(doc.meta.id + ":" +
                      std::to_string(std::max<std::uint32_t>(1, doc.paragraph_count / 2)));
    }
    std::vector<double> latencies;
    std::size_t candidates = 0, found = 0, probes = 0;
    std::string slowest;
    double slowest_ms = -1;
    for (std::size_t k = 0; k < picks.size(); ++k) {
      concord::SimilarRequest request;
      request.paragraph_id = picks[k];
      request.min_shared_words = min_words;
      const auto t = Clock::now();
      concord::SimilarResponse r;
      try {
        r = finder.find(request);
      } catch (const concord::Error&) {
        continue;  // a source shorter than the minimum phrase
      }
      if (k < 5) continue;  // warm-up
      latencies.push_back(ms_since(t));
      if (latencies.back() > slowest_ms) {
        slowest_ms = latencies.back();
        slowest = picks[k] + " (" + std::to_string(r.source_words) + " words, " +
                  std::to_string(r.probes) + " probes)";
      }
      probes += r.probes;
      candidates += r.candidates;
      found += r.results.size();
    }

    // Compare: one speaker's statements in year order against the next years'.
    std::map<std::string, std::vector<std::string>> by_country;
    for (const auto& [id, doc] : *table) by_country[doc.meta.country].push_back(id);
    std::vector<std::string> family;
    for (auto& [country, list] : by_country) {
      if (list.size() > family.size()) family = list;
    }
    std::sort(family.begin(), family.end(), [&](const std::string& x, const std::string& y) {
      return table->at(x).meta.date < table->at(y).meta.date;
    });
    const auto a = assemble(reader, family, 200);
    const auto b = assemble(
        reader,
        std::vector<std::string>(family.begin() + (family.size() > 1 ? 1 : 0), family.end()), 200);
    std::vector<double> compare_ms;
    std::size_t pairs = 0;
    for (int run = 0; run < 5; ++run) {
      const auto t = Clock::now();
      const auto c = concord::compare_papers(a, b);
      compare_ms.push_back(ms_since(t));
      pairs = c.pairs.size();
    }
    // Two real papers from files.
    std::vector<double> files_ms;
    std::size_t files_pairs = 0, files_a = 0, files_b = 0;
    if (!file_a.empty()) {
      const auto fa = concord::load_comparable(file_a, nullptr, true);
      const auto fb = concord::load_comparable(file_b, nullptr, true);
      files_a = fa.paragraphs.size();
      files_b = fb.paragraphs.size();
      for (int run = 0; run < 5; ++run) {
        const auto t = Clock::now();
        const auto c = concord::compare_papers(fa, fb);
        files_ms.push_back(ms_since(t));
        files_pairs = c.pairs.size();
      }
    }
    const double p50 = percentile(latencies, 0.5), p95 = percentile(latencies, 0.95),
                 max = percentile(latencies, 1.0);
    const double compare_median = percentile(compare_ms, 0.5);
    if (json) {
      std::printf(
          "{\"paragraphs\": %llu, \"reuse\": {\"sources\": %zu, \"p50_ms\": %.2f, \"p95_ms\": "
          "%.2f, \"max_ms\": %.2f, "
          "\"mean_candidates\": %.1f, \"mean_results\": %.1f}, \"compare\": {\"a_paragraphs\": "
          "%zu, "
          "\"b_paragraphs\": %zu, \"pairs\": %zu, \"median_ms\": %.2f}, \"compare_files\": "
          "{\"a_paragraphs\": %zu, \"b_paragraphs\": %zu, \"pairs\": %zu, \"median_ms\": "
          "%.2f}}\n",
          static_cast<unsigned long long>(reader.paragraph_count()), latencies.size(), p50, p95,
          max,
          latencies.empty()
              ? 0.0
              : static_cast<double>(candidates) / static_cast<double>(latencies.size()),
          latencies.empty() ? 0.0
                            : static_cast<double>(found) / static_cast<double>(latencies.size()),
          a.paragraphs.size(), b.paragraphs.size(), pairs, compare_median, files_a, files_b,
          files_pairs, percentile(files_ms, 0.5));
    } else {
      std::printf("index: %llu paragraphs, %zu papers\n",
                  static_cast<unsigned long long>(reader.paragraph_count()), ids.size());
      std::printf(
          "reuse search: %zu sources, latency ms p50 %.1f  p95 %.1f  max %.1f  (%.0f candidates, "
          "%.1f results each)\n",
          latencies.size(), p50, p95, max,
          latencies.empty()
              ? 0.0
              : static_cast<double>(candidates) / static_cast<double>(latencies.size()),
          latencies.empty() ? 0.0
                            : static_cast<double>(found) / static_cast<double>(latencies.size()));
      std::printf("  %.1f probes per source; slowest: %s\n",
                  latencies.empty()
                      ? 0.0
                      : static_cast<double>(probes) / static_cast<double>(latencies.size()),
                  slowest.c_str());
      std::printf("compare: %zu vs %zu paragraphs, %zu aligned pairs, median of 5 runs %.1f ms\n",
                  a.paragraphs.size(), b.paragraphs.size(), pairs, compare_median);
      if (!file_a.empty()) {
        std::printf(
            "compare files: %s (%zu paragraphs) vs %s (%zu), %zu aligned pairs, median of 5 runs "
            "%.1f ms\n",
            file_a.c_str(), files_a, file_b.c_str(), files_b, files_pairs,
            percentile(files_ms, 0.5));
      }
    }
  } catch (const concord::Error& e) {
    std::fprintf(stderr, "concord-compare-bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
