// Comparing wording: alignment under perturbation, diffs, reuse search and phrase tracing.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <map>
#include <random>
#include <set>

#include "concord/compare.hpp"
#include "concord/error.hpp"
#include "concord/indexer.hpp"
#include "concord/ingest.hpp"
#include "indexed.hpp"
#include "test_support.hpp"

using namespace concord;

namespace {

std::vector<std::string> sentences_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(". ", start);
    if (end == std::string::npos) {
      out.push_back(text.substr(start));
      break;
    }
    out.push_back(text.substr(start, end + 1 - start));
    start = end + 2;
  }
  return out;
}

std::string join_sentences(const std::vector<std::string>& s) {
  std::string out;
  for (const auto& x : s) out += (out.empty() ? "" : " ") + x;
  return out;
}

// A sentence of the perturbed copy, with the paragraph of A it comes from (none if new).
struct Sentence {
  std::string text;
  std::size_t origin;
};
constexpr std::size_t kNew = static_cast<std::size_t>(-1);
using Unit = std::vector<Sentence>;

std::size_t word_count(const std::string& s) {
  return static_cast<std::size_t>(std::count(s.begin(), s.end(), ' ')) + (s.empty() ? 0 : 1);
}

// A perturbed copy of a paper: paragraphs reordered, sentences inserted, deleted and
// reworded, paragraphs split and merged, a few dropped and a few new. Returns B and the true
// pairs (A index, B index): B's paragraph holds a real part of A's (at least 15% of A's words,
// or half of its own), as tracked sentence by sentence.
std::pair<ComparableDoc, std::set<std::pair<std::size_t, std::size_t>>> perturb(
    const ComparableDoc& a, unsigned seed) {
  std::mt19937 rng(seed);
  const auto chance = [&](double p) {
    return std::uniform_real_distribution<double>(0, 1)(rng) < p;
  };
  const auto pick = [&](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
  };
  static const std::vector<std::string> kFiller = {
      "notably",       "in particular", "moreover", "accordingly", "indeed",
      "substantially", "jointly",       "firmly",   "steadily",    "broadly"};
  static const std::vector<std::string> kNewSentences = {
      "This commitment was reaffirmed at the summit held last year.",
      "The parties agreed to review progress every two years.",
      "Further details will be set out in an annex to this document.",
      "Such efforts require adequate and predictable financing."};
  std::vector<Unit> units;
  for (std::size_t i = 0; i < a.paragraphs.size(); ++i) {
    Unit u;
    for (auto& s : sentences_of(a.paragraphs[i].text)) u.push_back({s, i});
    units.push_back(std::move(u));
  }
  for (auto& u : units) {
    if (chance(0.2)) {  // reword: replace or insert a word in about one word in ten
      for (auto& sentence : u) {
        std::string out, word;
        std::size_t start = 0;
        const std::string& s = sentence.text;
        while (start < s.size()) {
          const std::size_t end = s.find(' ', start);
          word = s.substr(start, end == std::string::npos ? std::string::npos : end - start);
          if (end != std::string::npos && chance(0.1)) {
            word = chance(0.5) ? kFiller[pick(kFiller.size())]
                               : word + " " + kFiller[pick(kFiller.size())];
          }
          out += (out.empty() ? "" : " ") + word;
          if (end == std::string::npos) break;
          start = end + 1;
        }
        sentence.text = out;
      }
    }
    if (chance(0.15))
      u.insert(u.begin() + static_cast<std::ptrdiff_t>(pick(u.size() + 1)),
               {kNewSentences[pick(kNewSentences.size())], kNew});
    if (u.size() >= 3 && chance(0.15))
      u.erase(u.begin() + static_cast<std::ptrdiff_t>(pick(u.size())));
  }
  std::vector<Unit> split;
  for (auto& u : units) {
    if (u.size() >= 2 && chance(0.1)) {
      const std::size_t cut = 1 + pick(u.size() - 1);
      split.emplace_back(u.begin(), u.begin() + static_cast<std::ptrdiff_t>(cut));
      split.emplace_back(u.begin() + static_cast<std::ptrdiff_t>(cut), u.end());
    } else {
      split.push_back(u);
    }
  }
  std::vector<Unit> merged;
  for (std::size_t k = 0; k < split.size(); ++k) {
    if (k + 1 < split.size() && chance(0.08)) {
      Unit m = split[k];
      m.insert(m.end(), split[k + 1].begin(), split[k + 1].end());
      merged.push_back(std::move(m));
      ++k;
    } else if (!chance(0.03)) {  // else dropped: its origins have no counterpart
      merged.push_back(split[k]);
    }
    if (chance(0.03))
      merged.push_back(
          {{"An entirely new paragraph about regional fisheries and coastal tourism was added "
            "here.",
            kNew}});
  }
  for (std::size_t k = 0; k < merged.size() / 4; ++k)
    std::swap(merged[pick(merged.size())], merged[pick(merged.size())]);
  ComparableDoc b;
  b.meta.id = "perturbed";
  std::set<std::pair<std::size_t, std::size_t>> truth;
  for (std::size_t j = 0; j < merged.size(); ++j) {
    Paragraph p;
    p.ordinal = static_cast<std::uint32_t>(j + 1);
    std::vector<std::string> texts;
    std::map<std::size_t, std::size_t> words_from;
    std::size_t total = 0;
    for (const auto& s : merged[j]) {
      texts.push_back(s.text);
      total += word_count(s.text);
      if (s.origin != kNew) words_from[s.origin] += word_count(s.text);
    }
    p.text = join_sentences(texts);
    b.paragraphs.push_back(p);
    for (const auto& [origin, words] : words_from) {
      const std::size_t origin_words = word_count(a.paragraphs[origin].text);
      if (words * 100 >= origin_words * 15 || words * 2 >= total) truth.emplace(origin, j);
    }
  }
  return {b, truth};
}

struct Score {
  double recall = 0, wrong = 0;
  std::size_t truth = 0, predicted = 0;
};

Score score_alignment(const ComparableDoc& a, unsigned seed) {
  const auto [b, raw_truth] = perturb(a, seed);
  // Paragraphs with identical text ("Mr. President,") cannot be told apart by their wording:
  // count a pair as right when it names any of the identical copies.
  std::vector<std::size_t> canonical(a.paragraphs.size());
  for (std::size_t i = 0; i < a.paragraphs.size(); ++i) {
    canonical[i] = i;
    for (std::size_t k = 0; k < i; ++k) {
      if (a.paragraphs[k].text == a.paragraphs[i].text) {
        canonical[i] = k;
        break;
      }
    }
  }
  std::set<std::pair<std::size_t, std::size_t>> truth;
  for (const auto& [i, j] : raw_truth) truth.emplace(canonical[i], j);
  const Comparison c = compare_papers(a, b);
  std::set<std::pair<std::size_t, std::size_t>> predicted;
  for (const auto& p : c.pairs) {
    for (const auto x : p.a) {
      for (const auto y : p.b) predicted.emplace(canonical[x - 1], y - 1);
    }
  }
  std::size_t hit = 0;
  for (const auto& t : truth) {
    hit += predicted.count(t);
    if (!predicted.count(t)) {
      std::cout << "  missed A" << t.first + 1 << " -> B" << t.second + 1
                << ":\n    A: " << a.paragraphs[t.first].text
                << "\n    B: " << b.paragraphs[t.second].text << "\n";
    }
  }
  for (const auto& p : predicted) {
    if (!truth.count(p))
      std::cout << "  wrong  A" << p.first + 1 << " -> B" << p.second + 1 << "\n";
  }
  Score s;
  s.truth = truth.size();
  s.predicted = predicted.size();
  s.recall = static_cast<double>(hit) / static_cast<double>(truth.size());
  s.wrong = predicted.empty() ? 0
                              : static_cast<double>(predicted.size() - hit) /
                                    static_cast<double>(predicted.size());
  return s;
}

// Every paragraph of either side is in one aligned group at most, and in a group or in the
// "only in" list, never both.
void check_partition(const Comparison& c) {
  std::map<std::uint32_t, int> a_count, b_count;
  for (const auto& p : c.pairs) {
    for (const auto o : p.a) ++a_count[o];
    for (const auto o : p.b) ++b_count[o];
  }
  for (const auto o : c.a_only) ++a_count[o];
  for (const auto o : c.b_only) ++b_count[o];
  CHECK(a_count.size() == c.a.paragraphs.size());
  CHECK(b_count.size() == c.b.paragraphs.size());
  for (const auto& [o, count] : a_count) {
    INFO("A paragraph " << o);
    CHECK(count == 1);
  }
  for (const auto& [o, count] : b_count) {
    INFO("B paragraph " << o);
    CHECK(count == 1);
  }
}

ComparableDoc seed_doc() {
  Paper p = read_paper(test::seed_paper());
  return ComparableDoc{p.meta, p.sections, p.paragraphs};
}

}  // namespace

TEST_CASE("alignment survives reordering, splits, merges and editing (seed paper)",
          "[compare][quality]") {
  const ComparableDoc a = seed_doc();
  double worst_recall = 1, worst_wrong = 0;
  for (const unsigned seed : {1u, 2u, 3u, 4u, 5u}) {
    check_partition(compare_papers(a, perturb(a, seed).first));
    const Score s = score_alignment(a, seed);
    std::cout << "seed " << seed << ": " << s.truth << " true pairs, " << s.predicted
              << " predicted, recall " << s.recall << ", wrong " << s.wrong << "\n";
    worst_recall = std::min(worst_recall, s.recall);
    worst_wrong = std::max(worst_wrong, s.wrong);
  }
  CHECK(worst_recall >= 0.95);
  CHECK(worst_wrong <= 0.05);
}

TEST_CASE("alignment under perturbation on real statements", "[compare][quality][shared]") {
  test::skip_without_shared_corpus("alignment test on UNGDC statements");
  for (const char* file : {"Session 79 - 2024/CHN_79_2024.txt", "Session 78 - 2023/USA_78_2023.txt",
                           "Session 77 - 2022/IND_77_2022.txt"}) {
    Paper p = read_paper(test::shared_corpus() / "ungdc" / "sample" / file);
    const ComparableDoc a{p.meta, p.sections, p.paragraphs};
    std::size_t truth = 0, found = 0, predicted = 0, wrong = 0;
    for (const unsigned seed : {7u, 8u, 9u, 10u}) {
      const Score s = score_alignment(a, seed);
      truth += s.truth;
      found += static_cast<std::size_t>(std::lround(s.recall * static_cast<double>(s.truth)));
      predicted += s.predicted;
      wrong += static_cast<std::size_t>(std::lround(s.wrong * static_cast<double>(s.predicted)));
    }
    const double recall = static_cast<double>(found) / static_cast<double>(truth);
    const double wrong_share = static_cast<double>(wrong) / static_cast<double>(predicted);
    std::cout << file << ": " << truth << " true pairs over 4 perturbations, recall " << recall
              << ", wrong " << wrong_share << "\n";
    CHECK(recall >= 0.95);
    CHECK(wrong_share <= 0.05);
  }
}

TEST_CASE("a paper compared with itself is identical", "[compare]") {
  const ComparableDoc a = seed_doc();
  const Comparison c = compare_papers(a, a);
  CHECK(c.identical);
  CHECK(c.pairs.size() == a.paragraphs.size());
  CHECK(c.a_only.empty());
  CHECK(c.b_only.empty());
  CHECK(c.a_words_found == c.a_words);
  for (const auto& s : c.sections) CHECK(s.words_found == s.words);
}

TEST_CASE("word diffs and shared phrases", "[compare]") {
  ComparableDoc a, b;
  Paragraph p;
  p.ordinal = 1;
  p.text =
      "We support the political settlement of hot issues such as the Ukraine crisis through "
      "dialogue.";
  a.paragraphs.push_back(p);
  p.text =
      "We firmly support the political settlement of hotspot issues such as the Ukraine crisis "
      "through dialogue.";
  b.paragraphs.push_back(p);
  CompareOptions options;
  options.min_shared_words = 4;
  const Comparison c = compare_papers(a, b, options);
  REQUIRE(c.pairs.size() == 1);
  const auto& diff = c.pairs[0].diff;
  std::string deleted, inserted, equal;
  for (const auto& op : diff) {
    (op.kind == DiffOp::Kind::kDelete   ? deleted
     : op.kind == DiffOp::Kind::kInsert ? inserted
                                        : equal) += op.text;
  }
  CHECK(deleted == "hot ");
  CHECK(inserted == "firmly hotspot ");
  CHECK(equal.find("We support the political settlement of") == 0);
  REQUIRE(c.pairs[0].shared.size() == 2);
  CHECK(c.pairs[0].shared[0].text == "support the political settlement of");
  CHECK(c.pairs[0].shared[1].text == "issues such as the Ukraine crisis through dialogue");
  CHECK(c.pairs[0].shared[1].words == 8);
}

TEST_CASE("a short paragraph is not paired on a stock phrase", "[compare]") {
  ComparableDoc a, b;
  Paragraph p;
  p.ordinal = 1;
  p.text =
      "We will strengthen our ability to respond to attacks at home, including managing the "
      "consequences of chemical or biological incidents, with federal, state and local "
      "authorities working together and with the support of the armed forces.";
  a.paragraphs.push_back(p);
  p.text = "Managing the consequences of WMD incidents";
  b.paragraphs.push_back(p);
  p.ordinal = 2;
  p.text = "Open markets and trade remain the engine of growth for the nation and its partners.";
  b.paragraphs.push_back(p);
  const Comparison c = compare_papers(a, b);
  CHECK(c.pairs.empty());
  CHECK(c.a_only.size() == 1);
  CHECK(c.b_only.size() == 2);
  // The same heading standing in both papers is a pair, and so is a salutation run into the
  // paragraph that follows it.
  ComparableDoc a2;
  p.ordinal = 1;
  p.text = "Managing the consequences of WMD incidents";
  a2.paragraphs.push_back(p);
  p.ordinal = 2;
  p.text = "Mr. President,";
  a2.paragraphs.push_back(p);
  p.ordinal = 3;
  p.text = "Peace is the most precious thing in our world today, and development needs it.";
  a2.paragraphs.push_back(p);
  ComparableDoc b2;
  p.ordinal = 1;
  p.text = "Managing the consequences of WMD incidents";
  b2.paragraphs.push_back(p);
  p.ordinal = 2;
  p.text =
      "Mr. President, peace is the most precious thing in our world today, and development "
      "needs it.";
  b2.paragraphs.push_back(p);
  const Comparison c2 = compare_papers(a2, b2);
  REQUIRE(c2.pairs.size() == 2);
  CHECK(c2.pairs[0].a == std::vector<std::uint32_t>{1});
  CHECK(c2.pairs[1].a == std::vector<std::uint32_t>{2, 3});
  CHECK(c2.pairs[1].kind() == "merge");
  check_partition(c2);
}

TEST_CASE("bad compare input gets clear errors", "[compare][errors]") {
  CHECK_THROWS_WITH(
      load_comparable("no-such-doc", nullptr, true),
      Catch::Contains("'no-such-doc' is neither a document id in the index nor a readable file"));
  CHECK_THROWS_WITH(load_comparable("no-such-doc", nullptr, false),
                    Catch::Contains("no document with id"));
  test::TempDir dir;
  test::write_file(dir / "empty.txt", "");
  CHECK_THROWS_WITH(load_comparable((dir / "empty.txt").string(), nullptr, true),
                    Catch::Contains("empty file"));
  // Files are never read when the caller does not allow it (the HTTP API).
  CHECK_THROWS_AS(load_comparable(test::seed_paper().string(), nullptr, false), Error);
  CHECK_THROWS_WITH(compare_papers(ComparableDoc{}, seed_doc()), Catch::Contains("no paragraphs"));
}

TEST_CASE("two strategies of one family share wording section by section", "[compare][shared]") {
  test::skip_without_shared_corpus("NSS comparison test");
  const auto docs = test::shared_corpus() / "us-nss" / "docs";
  const ComparableDoc a = load_comparable((docs / "1997.txt").string(), nullptr, true);
  const ComparableDoc b = load_comparable((docs / "1998.txt").string(), nullptr, true);
  const Comparison c = compare_papers(a, b);
  const double share = static_cast<double>(c.a_words_found) / static_cast<double>(c.a_words);
  std::cout << "NSS 1997 vs 1998: " << c.pairs.size() << " pairs, " << share * 100
            << "% of 1997's wording in 1998, " << c.took_ms << " ms\n";
  CHECK(share > 0.3);
  CHECK(c.pairs.size() > 50);
  CHECK(!c.sections.empty());
  std::size_t words = 0;
  for (const auto& s : c.sections) words += s.words;
  CHECK(words == c.a_words);
  const Comparison unrelated =
      compare_papers(a, load_comparable((docs / "2017.txt").string(), nullptr, true));
  const double unrelated_share =
      static_cast<double>(unrelated.a_words_found) / static_cast<double>(unrelated.a_words);
  std::cout << "NSS 1997 vs 2017: " << unrelated_share * 100 << "%\n";
  CHECK(unrelated_share < share / 2);
  // Every pair has real evidence: a shared phrase or some likeness as a whole.
  for (const auto& p : c.pairs) {
    INFO("A " << p.a.front() << " - B " << p.b.front() << ", similarity " << p.similarity);
    CHECK((p.similarity >= 0.1 || !p.shared.empty()));
  }
  check_partition(c);
  check_partition(unrelated);
}

TEST_CASE("unrelated papers are hardly paired", "[compare][shared]") {
  test::skip_without_shared_corpus("NSS comparison test");
  const auto docs = test::shared_corpus() / "us-nss" / "docs";
  // 2000 and 2006 share 0.2% of their wording: no paragraph of one was rewritten into the
  // other, at most a heading or two are alike.
  const Comparison c = compare_papers(load_comparable((docs / "2000.txt").string(), nullptr, true),
                                      load_comparable((docs / "2006.txt").string(), nullptr, true));
  std::cout << "NSS 2000 vs 2006: " << c.pairs.size() << " pairs\n";
  CHECK(c.pairs.size() <= 2);
  for (const auto& p : c.pairs) {
    INFO("A " << p.a.front() << " - B " << p.b.front() << ", similarity " << p.similarity);
    CHECK(p.similarity >= 0.5);
    CHECK(p.a.size() + p.b.size() <= 3);
  }
  check_partition(c);
  // Statements of two countries in one session talk of the same things in other words.
  const auto sample = test::shared_corpus() / "ungdc" / "sample" / "Session 78 - 2023";
  const Comparison u =
      compare_papers(load_comparable((sample / "BRA_78_2023.txt").string(), nullptr, true),
                     load_comparable((sample / "JPN_78_2023.txt").string(), nullptr, true));
  std::cout << "UNGDC BRA vs JPN 2023: " << u.pairs.size() << " pairs\n";
  CHECK(u.pairs.size() <= 2);
  check_partition(u);
}

TEST_CASE("reuse search finds paragraphs sharing wording, ranked by shared words",
          "[compare][similar]") {
  test::TempDir dir;
  test::write_file(dir / "docs" / "gsi.txt", test::read_file(test::seed_paper()));
  // A paper quoting two passages of the seed, one at length and one briefly.
  test::write_file(dir / "docs" / "echo.txt",
                   "Echo paper\n\n"
                   "We welcome the call to support the ASEAN-centered regional security "
                   "cooperation mechanism and structure, "
                   "uphold the \"ASEAN way\" of reaching a consensus through consultation, as "
                   "others have said.\n\n"
                   "Nothing in this paragraph repeats the concept paper at all.\n\n"
                   "Leaders spoke of cross-border rivers more than once.\n");
  IndexRunOptions options;
  options.index_dir = dir / "index";
  options.inputs = {dir / "docs"};
  REQUIRE(run_index(options).added == 2);
  IndexReader reader = IndexReader::open(IndexLocation::directory(dir / "index"));
  ReuseFinder finder(reader);
  SimilarRequest request;
  request.paragraph_id = "gsi:65";
  const SimilarResponse r = finder.find(request);
  REQUIRE(!r.results.empty());
  CHECK(r.results[0].hit.id == "echo:1");  // "Echo paper" is the title line
  CHECK(r.results[0].longest >= 12);
  CHECK(
      r.results[0].hit.snippet.find(
          "<mark>the ASEAN-centered regional security cooperation mechanism and structure, uphold "
          "the &quot;ASEAN way&quot; of reaching a consensus through consultation</mark>") !=
      std::string::npos);
  for (const auto& h : r.results)
    CHECK(h.hit.doc.id != "gsi");  // its own paper is left out by default
  // Free text works too, and short overlaps below the minimum do not count.
  SimilarRequest text;
  text.text =
      "They called on all upstream and downstream countries of cross-border rivers to cooperate.";
  const SimilarResponse t = finder.find(text);
  REQUIRE(!t.results.empty());
  CHECK(t.results[0].hit.id == "gsi:77");
  for (const auto& h : t.results) CHECK(h.hit.id != "echo:3");
  SimilarRequest missing;
  missing.paragraph_id = "gsi:9999";
  CHECK_THROWS_WITH(finder.find(missing), Catch::Contains("no paragraph"));
  SimilarRequest tiny;
  tiny.text = "peace";
  CHECK_THROWS_WITH(finder.find(tiny), Catch::Contains("fewer words"));
}

namespace {

// Words found in no paper (and rarer than any real word, so the probes prefer them).
std::string filler(std::size_t count, std::size_t from = 0) {
  std::string out;
  for (std::size_t i = from; i < from + count; ++i) {
    std::string w;
    for (std::size_t k = i + 1; k > 0; k = (k - 1) / 26)
      w.insert(w.begin(), char('a' + (k - 1) % 26));
    out += (out.empty() ? "zq" : " zq") + w;
  }
  return out;
}

}  // namespace

TEST_CASE("reuse search covers the whole source and keeps its guarantee", "[compare][similar]") {
  test::TempDir dir;
  test::write_file(dir / "docs" / "gsi.txt", test::read_file(test::seed_paper()));
  const std::string target =
      "Our delegation believes that the sustainable management of transboundary water "
      "resources requires trust among riparian states and shared data on river flows daily.";
  test::write_file(dir / "docs" / "water.txt",
                   "Water paper\n\n" + target + "\n");  // the title line is no paragraph
  IndexRunOptions options;
  options.index_dir = dir / "index";
  options.inputs = {dir / "docs"};
  REQUIRE(run_index(options).added == 2);
  IndexReader reader = IndexReader::open(IndexLocation::directory(dir / "index"));
  ReuseFinder finder(reader);
  const auto found = [&](const std::string& text, std::size_t min_words = 5) {
    SimilarRequest request;
    request.text = text;
    request.min_shared_words = min_words;
    const SimilarResponse r = finder.find(request);
    for (const auto& h : r.results) {
      if (h.hit.id == "water:1") return std::make_pair(r, h.longest);
    }
    return std::make_pair(r, std::size_t{0});
  };
  // A passage quoted after 380 words of other text (the probes once stopped at word 384).
  const auto [late, late_run] = found(filler(380) + " " + target);
  CHECK(late_run == 23);
  CHECK(late.guaranteed_run == 11);
  // Exactly the guaranteed run, wherever it falls among the windows, between words rarer
  // than its own (so that no probe is chosen inside it by luck).
  const std::string run11 =
      "the sustainable management of transboundary water resources requires trust among riparian";
  for (std::size_t before = 0; before < 12; ++before) {
    INFO(before << " words before the run");
    const auto [r, run] = found(filler(before) + " " + run11 + " " + filler(100, 100));
    CHECK(r.guaranteed_run == 11);
    CHECK(run == 11);
  }
  // A short source is probed more finely: any five shared words are found.
  for (std::size_t before = 0; before < 4; ++before) {
    INFO(before << " words before the run in a short source");
    const auto [r, run] =
        found(filler(before) + " sustainable management of transboundary water " + filler(30, 100));
    CHECK(r.guaranteed_run == 5);
    CHECK(run == 5);
  }
  // A longer minimum phrase gives a longer guarantee with fewer probes, kept as well.
  const std::string run15 = "Our delegation believes that " + run11;
  for (std::size_t before = 0; before < 8; ++before) {
    const auto [r, run] = found(filler(before) + " " + run15 + " " + filler(100, 100), 15);
    CHECK(r.guaranteed_run == 15);
    CHECK(run == 15);
  }
  // A source too long for one probe per six words: the stride widens so that the probes
  // still reach its end, and the guarantee they give (here 23 words, all of `target`) is
  // reported and kept.
  for (std::size_t before = 0; before < 12; ++before) {
    INFO(before << " words before the run in a long source");
    const auto [r, run] = found(filler(2950 + before) + " " + target + " " + filler(40, 5000));
    CHECK(r.probes <= 256);
    CHECK(r.guaranteed_run == 23);
    CHECK(run == 23);
  }
}

TEST_CASE("tracing a phrase: counts per paper and year, first and latest, variation",
          "[compare][trace]") {
  test::TempDir dir;
  const char* papers[][3] = {
      {"p2014", "2014-05-01",
       "A new security concept of common, comprehensive, cooperative and sustainable "
       "security.\n\nIndivisible security was not yet said.\n"},
      {"p2019", "2019-03-01",
       "Security is indivisible, and indivisible security matters.\n\nWe want indivisible and "
       "common security for all.\n"},
      {"p2023", "2023-02-21",
       "The principle of indivisible security.\n\nAgain: indivisible security.\n\nAnd indivisible "
       "security once more.\n"},
      {"undated", "", "Indivisible security without a date.\n"},
  };
  for (const auto& p : papers) {
    test::write_file(dir / "docs" / (std::string(p[0]) + ".txt"), p[2]);
    if (p[1][0] != '\0')
      test::write_file(dir / "docs" / (std::string(p[0]) + ".meta.json"),
                       std::string("{\"date\": \"") + p[1] + "\"}");
  }
  IndexRunOptions options;
  options.index_dir = dir / "index";
  options.inputs = {dir / "docs"};
  REQUIRE(run_index(options).added == 4);
  IndexReader reader = IndexReader::open(IndexLocation::directory(dir / "index"));
  TraceRequest request;
  request.phrase = "Indivisible security";
  const TraceResponse t = trace_phrase(reader, request);
  CHECK(t.paragraphs == 6);
  CHECK(t.documents == 4);
  REQUIRE(t.first);
  CHECK(t.first->id == "p2014:2");
  REQUIRE(t.latest);
  CHECK(t.latest->doc.id == "p2023");
  REQUIRE(t.timeline.size() == 10);  // 2014 .. 2023, every year
  CHECK(t.timeline.front().year == 2014);
  CHECK(t.timeline.front().paragraphs == 1);
  CHECK(t.timeline.back().paragraphs == 3);
  CHECK(t.timeline.back().documents == 1);
  CHECK(t.timeline.back().corpus_paragraphs == 3);
  CHECK(t.timeline[3].paragraphs == 0);  // 2017
  CHECK(t.per_document.front().value == "p2023");
  CHECK(t.per_document.front().count == 3);
  CHECK(t.undated_paragraphs == 1);  // "Indivisible security without a date."
  // Light variation: "indivisible and common security" has two words between the phrase's.
  request.slack = 1;
  CHECK(trace_phrase(reader, request).paragraphs == 6);
  request.slack = 2;
  CHECK(trace_phrase(reader, request).paragraphs == 7);
  request.slack = 0;
  request.phrase = "...";
  CHECK_THROWS_WITH(trace_phrase(reader, request), Catch::Contains("no words"));
}

TEST_CASE("tracing a hyphenated word finds both spellings", "[compare][trace]") {
  test::TempDir dir;
  test::write_file(dir / "docs" / "old.txt",
                   "Regional co-operation grew.\n\nNo \"co-operation\" here.\n");
  test::write_file(dir / "docs" / "new.txt", "Regional cooperation grew.\n");
  IndexReader reader = test::index_and_open(dir / "index", {dir / "docs"});
  REQUIRE(reader.document_count() == 2);
  TraceRequest request;
  for (const char* phrase : {"cooperation", "co-operation", "regional co-operation",
                             "\u201Cregional cooperation\u201D"}) {
    INFO(phrase);
    request.phrase = phrase;
    const auto expected = std::string(phrase).find("egional") != std::string::npos ? 2u : 3u;
    CHECK(trace_phrase(reader, request).paragraphs == expected);
  }
}

TEST_CASE("tracing in papers without dates says why there is no timeline", "[compare][trace]") {
  test::TempDir dir;
  test::write_file(dir / "docs" / "a.txt",
                   "Indivisible security first.\n\nAnd indivisible security again.\n");
  test::write_file(dir / "docs" / "b.txt", "They spoke of indivisible security too.\n");
  IndexReader reader = test::index_and_open(dir / "index", {dir / "docs"});
  REQUIRE(reader.document_count() == 2);
  TraceRequest request;
  request.phrase = "indivisible security";
  const TraceResponse t = trace_phrase(reader, request);
  CHECK(t.paragraphs == 3);
  CHECK(t.undated_paragraphs == 3);
  CHECK_FALSE(t.first);
  CHECK_FALSE(t.latest);
  CHECK(t.timeline.empty());
}
