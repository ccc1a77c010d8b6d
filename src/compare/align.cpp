// Aligning two papers paragraph by paragraph.
//
// Each paragraph is a set of word pairs (consecutive stems; single stems for very short
// paragraphs). Paragraph b "comes from" a when most of b's pairs occur in a (containment),
// and a "goes to" b when most of a's pairs occur in b. Linking every paragraph to its best
// counterpart in both directions and taking connected groups gives one-to-one pairs, splits
// (one a, several b) and merges (several a, one b), whatever the order of paragraphs; light
// editing only lowers containment a little. Ties (boilerplate repeated in a paper) go to the
// counterpart at the nearest relative position. A link needs evidence beyond a stock phrase
// (see `evidence`), and groups are connected components, so a paragraph is in one group only.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "concord/compare.hpp"
#include "concord/error.hpp"
#include "concord/ingest.hpp"
#include "words.hpp"

namespace concord {

namespace {

using compare::Words;

std::uint64_t mix(std::uint64_t h, std::string_view s) {
  for (const char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ull;
  }
  return h;
}

std::vector<std::uint64_t> features(const Words& w) {
  std::unordered_set<std::uint64_t> set;
  if (w.size() < 4) {
    for (const auto& s : w.stems) set.insert(mix(0xcbf29ce484222325ull, s));
  }
  for (std::size_t i = 0; i + 1 < w.size(); ++i) {
    set.insert(mix(mix(0x84222325cbf29ce4ull, w.stems[i]), w.stems[i + 1]));
  }
  return {set.begin(), set.end()};
}

// Share of x's consecutive stem pairs (its stem, when it has one word) that occur in y: how
// much of a short paragraph is found in a long one, whose features hold no single stems.
double pairs_found(const Words& x, const Words& y) {
  if (x.size() == 0) return 0;
  if (x.size() == 1) {
    return std::find(y.stems.begin(), y.stems.end(), x.stems[0]) != y.stems.end() ? 1.0 : 0.0;
  }
  std::set<std::pair<std::string_view, std::string_view>> in_y;
  for (std::size_t k = 0; k + 1 < y.size(); ++k) in_y.emplace(y.stems[k], y.stems[k + 1]);
  std::size_t found = 0;
  for (std::size_t k = 0; k + 1 < x.size(); ++k) found += in_y.count({x.stems[k], x.stems[k + 1]});
  return static_cast<double>(found) / static_cast<double>(x.size() - 1);
}

struct Side {
  std::vector<Words> words;
  std::vector<std::vector<std::uint64_t>> features;
};

Side prepare(const ComparableDoc& doc, const Analyzer& analyzer) {
  Side s;
  for (const auto& p : doc.paragraphs) {
    s.words.push_back(compare::words_of(p.text, analyzer));
    s.features.push_back(features(s.words.back()));
  }
  return s;
}

// A paragraph counts as part of another when this share of its word pairs occurs there, and a
// further part must add this share of new coverage.
constexpr double kPartContainment = 0.2;
constexpr double kPartGain = 0.2;

// Evidence that two paragraphs are counterparts, from the word pairs they share: either they
// are alike as wholes (headings, short items), or they share more than a stock phrase and that
// is a real part of the shorter one. A heading whose three pairs occur in a long paragraph
// ("managing the consequences of") is no evidence, and neither are the few pairs that two
// papers on the same subject share by chance (measured on unrelated National Security
// Strategies: at most 5, while rewritten counterparts in 1997/1998 share 10 or more).
constexpr double kAlike = 0.6;                 // Dice coefficient of paragraphs that are alike
constexpr std::size_t kMinSharedPairs = 8;     // otherwise at least this many shared pairs ...
constexpr double kShortSideContainment = 0.4;  // ... that are this share of the shorter one

constexpr double kNeighbourContainment = 0.8;

bool evidence(std::size_t shared, std::size_t size_a, std::size_t size_b) {
  if (size_a + size_b == 0) return false;
  const double dice = 2.0 * static_cast<double>(shared) / static_cast<double>(size_a + size_b);
  if (dice >= kAlike) return true;
  return shared >= kMinSharedPairs &&
         static_cast<double>(shared) >=
             kShortSideContainment * static_cast<double>(std::min(size_a, size_b));
}

double relative_gap(std::size_t i, std::size_t n, std::size_t j, std::size_t m) {
  const double x = n > 1 ? static_cast<double>(i) / static_cast<double>(n - 1) : 0.0;
  const double y = m > 1 ? static_cast<double>(j) / static_cast<double>(m - 1) : 0.0;
  return std::fabs(x - y);
}

}  // namespace

std::string AlignedPair::kind() const {
  if (a.size() == 1 && b.size() == 1) return "one-to-one";
  if (a.size() == 1) return "split";
  return b.size() == 1 ? "merge" : "regrouped";
}

ComparableDoc load_comparable(const std::string& ref, const IndexReader* reader, bool allow_files) {
  if (reader != nullptr) {
    if (const auto doc = reader->document(ref)) {
      ComparableDoc out;
      out.meta = doc->meta;
      out.sections = doc->sections;
      for (auto& r : reader->paragraphs(ref, 1, std::max<std::uint32_t>(doc->paragraph_count, 1))) {
        out.paragraphs.push_back(std::move(r.paragraph));
      }
      if (out.paragraphs.empty()) {
        throw Error(ErrorCode::kInvalidInput,
                    "document '" + ref + "' has no paragraphs to compare");
      }
      return out;
    }
  }
  std::error_code ec;
  if (allow_files && std::filesystem::is_regular_file(ref, ec)) {
    Paper paper = read_paper(ref);
    return ComparableDoc{std::move(paper.meta), std::move(paper.sections),
                         std::move(paper.paragraphs)};
  }
  throw Error(ErrorCode::kNotFound,
              allow_files
                  ? "'" + ref + "' is neither a document id in the index nor a readable file"
                  : "no document with id '" + ref + "'");
}

Comparison compare_papers(const ComparableDoc& a_doc, const ComparableDoc& b_doc,
                          const CompareOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  if (a_doc.paragraphs.empty() || b_doc.paragraphs.empty()) {
    throw Error(ErrorCode::kInvalidInput, "a document to compare has no paragraphs");
  }
  const Analyzer analyzer;
  Comparison out;
  out.a = a_doc;
  out.b = b_doc;
  const Side a = prepare(a_doc, analyzer);
  const Side b = prepare(b_doc, analyzer);
  const std::size_t n = a.words.size(), m = b.words.size();

  // Shared feature counts for every pair that shares anything, through an inverted index.
  std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> where_in_b;
  for (std::size_t j = 0; j < m; ++j) {
    for (const auto f : b.features[j]) where_in_b[f].push_back(static_cast<std::uint32_t>(j));
  }
  std::vector<std::unordered_map<std::uint32_t, std::uint32_t>> shared(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (const auto f : a.features[i]) {
      const auto it = where_in_b.find(f);
      if (it == where_in_b.end()) continue;
      for (const auto j : it->second) ++shared[i][j];
    }
  }
  const auto containment = [&](std::size_t count, std::size_t size) {
    return size == 0 ? 0.0 : static_cast<double>(count) / static_cast<double>(size);
  };

  // Links: each paragraph is linked to the counterpart that contains most of it and, when it
  // was split or merged, to further counterparts that cover a different part of it.
  std::set<std::pair<std::size_t, std::size_t>> links;
  const auto shared_features = [&](std::size_t i, std::size_t j) {
    std::vector<std::uint64_t> common;
    const auto& fa = a.features[i];
    const std::unordered_set<std::uint64_t> fb(b.features[j].begin(), b.features[j].end());
    for (const auto f : fa) {
      if (fb.count(f)) common.push_back(f);
    }
    return common;
  };
  struct Candidate {
    double containment;
    double gap;
    std::size_t other;
  };
  const auto link_side = [&](std::size_t self, std::size_t own_size,
                             std::vector<Candidate> candidates, bool self_is_a) {
    std::sort(candidates.begin(), candidates.end(), [](const Candidate& x, const Candidate& y) {
      if (x.containment != y.containment) return x.containment > y.containment;
      return x.gap < y.gap;  // identical counterparts: the nearest in relative position
    });
    std::unordered_set<std::uint64_t> covered;
    bool first = true;
    for (const auto& c : candidates) {
      if (c.containment < kPartContainment) break;
      const std::size_t i = self_is_a ? self : c.other, j = self_is_a ? c.other : self;
      const auto common = shared_features(i, j);
      std::size_t gain = 0;
      for (const auto f : common) gain += covered.count(f) ? 0 : 1;
      if (first ? c.containment < options.min_containment
                : static_cast<double>(gain) < kPartGain * static_cast<double>(own_size)) {
        if (first) break;
        continue;
      }
      links.emplace(i, j);
      covered.insert(common.begin(), common.end());
      first = false;
    }
  };
  std::vector<std::vector<Candidate>> for_b(m);
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<Candidate> for_a;
    for (const auto& [j, count] : shared[i]) {
      if (!evidence(count, a.features[i].size(), b.features[j].size())) continue;
      const double gap = relative_gap(i, n, j, m);
      for_a.push_back({containment(count, a.features[i].size()), gap, j});
      for_b[j].push_back({containment(count, b.features[j].size()), gap, i});
    }
    link_side(i, a.features[i].size(), std::move(for_a), true);
  }
  for (std::size_t j = 0; j < m; ++j)
    link_side(j, b.features[j].size(), std::move(for_b[j]), false);

  // A short paragraph merged into its neighbour's counterpart ("Mr. President," run into the
  // next paragraph), or split off from it, has too few words to be evidence on its own; that it
  // is almost all found in the counterpart of a neighbour is, and it beats a link to an
  // identical short paragraph elsewhere (the same salutation, standing alone).
  std::vector<std::vector<std::pair<std::size_t, std::uint32_t>>> shared_by_b(m);
  for (std::size_t i = 0; i < n; ++i) {
    for (const auto& [j, count] : shared[i]) shared_by_b[j].emplace_back(i, count);
  }
  std::vector<std::pair<std::size_t, std::size_t>> neighbour_links;  // (i, j) of the short one
  std::vector<bool> a_moved(n, false), b_moved(m, false);
  for (std::size_t i = 0; i < n; ++i) {
    if (a.features[i].size() >= kMinSharedPairs) continue;
    for (const auto& [j, count] : shared[i]) {
      if (pairs_found(a.words[i], b.words[j]) < kNeighbourContainment) continue;
      if ((i > 0 && links.count({i - 1, j})) || (i + 1 < n && links.count({i + 1, j}))) {
        neighbour_links.emplace_back(i, j);
        a_moved[i] = true;
        break;
      }
    }
  }
  for (std::size_t j = 0; j < m; ++j) {
    if (b.features[j].size() >= kMinSharedPairs) continue;
    for (const auto& [i, count] : shared_by_b[j]) {
      if (pairs_found(b.words[j], a.words[i]) < kNeighbourContainment) continue;
      if ((j > 0 && links.count({i, j - 1})) || (j + 1 < m && links.count({i, j + 1}))) {
        neighbour_links.emplace_back(i, j);
        b_moved[j] = true;
        break;
      }
    }
  }
  std::erase_if(links, [&](const auto& l) { return a_moved[l.first] || b_moved[l.second]; });
  links.insert(neighbour_links.begin(), neighbour_links.end());

  // Groups: the connected parts of the links, so that every paragraph is in one group at most.
  // A paragraph split in B whose second half was merged with another paragraph gives a group
  // with several paragraphs on both sides.
  std::vector<std::size_t> parent(n + m);
  for (std::size_t k = 0; k < parent.size(); ++k) parent[k] = k;
  const std::function<std::size_t(std::size_t)> root = [&](std::size_t k) {
    while (parent[k] != k) k = parent[k] = parent[parent[k]];
    return k;
  };
  for (const auto& [i, j] : links) parent[root(i)] = root(n + j);
  std::map<std::size_t, std::pair<std::vector<std::size_t>, std::vector<std::size_t>>> groups;
  for (const auto& [i, j] : links) {
    auto& g = groups[root(i)];
    g.first.push_back(i);
    g.second.push_back(j);
  }
  std::vector<std::pair<std::vector<std::size_t>, std::vector<std::size_t>>> aligned;
  for (auto& [r, g] : groups) {
    std::sort(g.first.begin(), g.first.end());
    g.first.erase(std::unique(g.first.begin(), g.first.end()), g.first.end());
    std::sort(g.second.begin(), g.second.end());
    g.second.erase(std::unique(g.second.begin(), g.second.end()), g.second.end());
    aligned.push_back(std::move(g));
  }

  std::vector<bool> a_seen(n, false), b_seen(m, false);
  for (auto& [as, bs] : aligned) {
    std::sort(as.begin(), as.end());
    std::sort(bs.begin(), bs.end());
    AlignedPair pair;
    std::vector<const Words*> a_parts, b_parts;
    for (const auto i : as) {
      pair.a.push_back(a_doc.paragraphs[i].ordinal);
      a_parts.push_back(&a.words[i]);
      a_seen[i] = true;
    }
    for (const auto j : bs) {
      pair.b.push_back(b_doc.paragraphs[j].ordinal);
      b_parts.push_back(&b.words[j]);
      b_seen[j] = true;
    }
    const Words a_text = a_parts.size() == 1 ? *a_parts[0] : compare::concatenate(a_parts);
    const Words b_text = b_parts.size() == 1 ? *b_parts[0] : compare::concatenate(b_parts);
    const auto fa = features(a_text), fb = features(b_text);
    const std::unordered_set<std::uint64_t> fb_set(fb.begin(), fb.end());
    std::size_t common = 0;
    for (const auto f : fa) common += fb_set.count(f);
    pair.similarity = fa.size() + fb.size() == 0 ? 0.0
                                                 : 2.0 * static_cast<double>(common) /
                                                       static_cast<double>(fa.size() + fb.size());
    pair.diff = compare::word_diff(a_text, b_text);
    pair.a_words = a_text.size();
    for (const auto& op : pair.diff) {
      if (op.kind == DiffOp::Kind::kEqual) pair.a_words_found += analyzer.tokenize(op.text).size();
    }
    for (const auto& t : compare::shared_tiles(a_text, b_text, options.min_shared_words)) {
      pair.shared.push_back(SharedPhrase{compare::span_text(a_text, t.a, t.length), t.length});
    }
    out.pairs.push_back(std::move(pair));
  }
  std::sort(out.pairs.begin(), out.pairs.end(),
            [](const AlignedPair& x, const AlignedPair& y) { return x.a.front() < y.a.front(); });
  for (std::size_t i = 0; i < n; ++i) {
    if (!a_seen[i]) out.a_only.push_back(a_doc.paragraphs[i].ordinal);
  }
  for (std::size_t j = 0; j < m; ++j) {
    if (!b_seen[j]) out.b_only.push_back(b_doc.paragraphs[j].ordinal);
  }

  // How much of A's wording is found in B, overall and section by section.
  std::map<std::uint32_t, std::size_t> index_of;
  for (std::size_t i = 0; i < n; ++i) index_of[a_doc.paragraphs[i].ordinal] = i;
  std::map<std::uint32_t, std::size_t> found_by_ordinal;
  for (const auto& pair : out.pairs) {
    // A merge's found words are shared out in proportion to each part's length.
    std::size_t total = 0;
    for (const auto o : pair.a) total += a.words[index_of[o]].size();
    for (const auto o : pair.a) {
      const std::size_t words = a.words[index_of[o]].size();
      found_by_ordinal[o] = total == 0 ? 0 : pair.a_words_found * words / total;
    }
  }
  std::map<int, std::size_t> section_index;
  for (std::size_t i = 0; i < n; ++i) {
    const Paragraph& p = a_doc.paragraphs[i];
    const std::size_t words = a.words[i].size();
    const std::size_t found = found_by_ordinal.count(p.ordinal) ? found_by_ordinal[p.ordinal] : 0;
    out.a_words += words;
    out.a_words_found += found;
    auto [it, inserted] = section_index.emplace(p.section, out.sections.size());
    if (inserted) {
      SectionShare share;
      if (p.section >= 0 && static_cast<std::size_t>(p.section) < a_doc.sections.size()) {
        share.number = a_doc.sections[static_cast<std::size_t>(p.section)].number;
        share.heading = a_doc.sections[static_cast<std::size_t>(p.section)].heading;
      }
      out.sections.push_back(std::move(share));
    }
    out.sections[it->second].words += words;
    out.sections[it->second].words_found += found;
  }
  out.identical = out.a_only.empty() && out.b_only.empty() && n == m &&
                  std::all_of(out.pairs.begin(), out.pairs.end(), [](const AlignedPair& p) {
                    return p.diff.size() == 1 && p.diff[0].kind == DiffOp::Kind::kEqual;
                  });
  out.took_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return out;
}

}  // namespace concord
