// concord-compare-bench: latency of reuse search and of comparing two papers, on an index.
// A benchmark (it prints figures, it asserts nothing about time).
//
//   concord-compare-bench --index DIR [--sources N] [--json]
//
// Reuse search: N source paragraphs picked evenly across the index's papers, each searched
// once after a warm-up; prints p50/p95/max latency and the index size.
// Compare: two 200-paragraph papers built from real statements in the index (one country's
// statements in year order, and the same country's statements one year later), compared five
// times; prints the median.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

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

}  // namespace

int main(int argc, char** argv) {
  std::string index;
  std::size_t sources = 50;
  bool json = false;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--index") && i + 1 < argc)
      index = argv[++i];
    else if (!std::strcmp(argv[i], "--sources") && i + 1 < argc)
      sources = std::stoul(argv[++i]);
    else if (!std::strcmp(argv[i], "--json"))
      json = true;
    else {
      std::fprintf(stderr, "usage: %s --index DIR [--sources N] [--json]\n", argv[0]);
      return 2;
    }
  }
  try {
    concord::IndexReader reader =
        concord::IndexReader::open(concord::IndexLocation::directory(index));
    const auto table = reader.document_table();
    std::vector<std::string> ids;
    for (const auto& [id, doc] : *table) ids.push_back(id);

    // Reuse search.
    concord::ReuseFinder finder(reader);
    std::vector<std::string> picks;
    for (std::size_t k = 0; k < sources + 5 && !ids.empty(); ++k) {
      const auto& doc = table->at(ids[(k * 7919) % ids.size()]);
      picks.push_back(doc.meta.id + ":" +
                      std::to_string(std::max<std::uint32_t>(1, doc.paragraph_count / 2)));
    }
    std::vector<double> latencies;
    std::size_t candidates = 0, found = 0;
    for (std::size_t k = 0; k < picks.size(); ++k) {
      concord::SimilarRequest request;
      request.paragraph_id = picks[k];
      const auto t = Clock::now();
      concord::SimilarResponse r;
      try {
        r = finder.find(request);
      } catch (const concord::Error&) {
        continue;  // a source shorter than the minimum phrase
      }
      if (k < 5) continue;  // warm-up
      latencies.push_back(ms_since(t));
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
    const double p50 = percentile(latencies, 0.5), p95 = percentile(latencies, 0.95),
                 max = percentile(latencies, 1.0);
    const double compare_median = percentile(compare_ms, 0.5);
    if (json) {
      std::printf(
          "{\"paragraphs\": %llu, \"reuse\": {\"sources\": %zu, \"p50_ms\": %.2f, \"p95_ms\": "
          "%.2f, \"max_ms\": %.2f, "
          "\"mean_candidates\": %.1f, \"mean_results\": %.1f}, \"compare\": {\"a_paragraphs\": "
          "%zu, "
          "\"b_paragraphs\": %zu, \"pairs\": %zu, \"median_ms\": %.2f}}\n",
          static_cast<unsigned long long>(reader.paragraph_count()), latencies.size(), p50, p95,
          max,
          latencies.empty()
              ? 0.0
              : static_cast<double>(candidates) / static_cast<double>(latencies.size()),
          latencies.empty() ? 0.0
                            : static_cast<double>(found) / static_cast<double>(latencies.size()),
          a.paragraphs.size(), b.paragraphs.size(), pairs, compare_median);
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
      std::printf("compare: %zu vs %zu paragraphs, %zu aligned pairs, median of 5 runs %.1f ms\n",
                  a.paragraphs.size(), b.paragraphs.size(), pairs, compare_median);
    }
  } catch (const concord::Error& e) {
    std::fprintf(stderr, "concord-compare-bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
