// Tiling and diffing word sequences.
#include "words.hpp"

#include <algorithm>
#include <unordered_map>

namespace concord::compare {

Words words_of(std::string text, const Analyzer& analyzer) {
  Words w;
  w.text = std::move(text);
  analyzer.tokenize(w.text, w.tokens);
  w.stems.reserve(w.tokens.size());
  for (const auto& t : w.tokens) w.stems.push_back(analyzer.stem(t.term));
  return w;
}

Words concatenate(const std::vector<const Words*>& parts) {
  Words out;
  for (const Words* p : parts) {
    if (!out.text.empty()) out.text += "\n";
    const auto shift = static_cast<std::uint32_t>(out.text.size());
    out.text += p->text;
    for (std::size_t i = 0; i < p->tokens.size(); ++i) {
      Token t = p->tokens[i];
      t.begin += shift;
      t.end += shift;
      out.tokens.push_back(std::move(t));
      out.stems.push_back(p->stems[i]);
    }
  }
  return out;
}

std::string span_text(const Words& w, std::size_t first, std::size_t count) {
  if (count == 0 || first >= w.size()) return {};
  const std::size_t last = std::min(first + count, w.size()) - 1;
  return w.text.substr(w.tokens[first].begin, w.tokens[last].end - w.tokens[first].begin);
}

std::vector<Tile> shared_tiles(const Words& a, const Words& b, std::size_t min_words) {
  std::vector<Tile> tiles;
  if (min_words == 0 || a.size() < min_words || b.size() < min_words) return tiles;
  // Index b's word sequences of length min_words by their first word's id and a rolling key.
  std::unordered_map<std::string, std::vector<std::size_t>> starts;
  for (std::size_t j = 0; j + min_words <= b.size(); ++j) starts[b.word(j)].push_back(j);
  std::vector<bool> used_a(a.size(), false), used_b(b.size(), false);
  while (true) {
    Tile best;
    for (std::size_t i = 0; i + min_words <= a.size(); ++i) {
      if (used_a[i]) continue;
      const auto it = starts.find(a.word(i));
      if (it == starts.end()) continue;
      for (const std::size_t j : it->second) {
        if (used_b[j]) continue;
        std::size_t n = 0;
        while (i + n < a.size() && j + n < b.size() && !used_a[i + n] && !used_b[j + n] &&
               a.word(i + n) == b.word(j + n)) {
          ++n;
        }
        if (n > best.length) best = Tile{i, j, n};
      }
    }
    if (best.length < min_words) break;
    for (std::size_t k = 0; k < best.length; ++k) used_a[best.a + k] = used_b[best.b + k] = true;
    tiles.push_back(best);
  }
  std::sort(tiles.begin(), tiles.end(), [](const Tile& x, const Tile& y) { return x.a < y.a; });
  return tiles;
}

namespace {

void push(std::vector<DiffOp>& ops, DiffOp::Kind kind, std::string_view text) {
  if (text.empty()) return;
  if (!ops.empty() && ops.back().kind == kind) {
    ops.back().text += text;
  } else {
    ops.push_back(DiffOp{kind, std::string(text)});
  }
}

// Text of word i of w, with the gap (spaces, punctuation) that follows it.
std::string_view word_with_gap(const Words& w, std::size_t i) {
  const std::size_t end = i + 1 < w.size() ? w.tokens[i + 1].begin : w.text.size();
  return std::string_view(w.text).substr(w.tokens[i].begin, end - w.tokens[i].begin);
}

// Longest common subsequence table, for paragraphs of ordinary size.
std::vector<std::pair<std::size_t, std::size_t>> lcs(const Words& a, const Words& b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::uint16_t> table((n + 1) * (m + 1), 0);
  const auto at = [&](std::size_t i, std::size_t j) -> std::uint16_t& {
    return table[i * (m + 1) + j];
  };
  for (std::size_t i = n; i-- > 0;) {
    for (std::size_t j = m; j-- > 0;) {
      at(i, j) = a.word(i) == b.word(j) ? static_cast<std::uint16_t>(at(i + 1, j + 1) + 1)
                                        : std::max(at(i + 1, j), at(i, j + 1));
    }
  }
  std::vector<std::pair<std::size_t, std::size_t>> matches;
  std::size_t i = 0, j = 0;
  while (i < n && j < m) {
    if (a.word(i) == b.word(j)) {
      matches.emplace_back(i++, j++);
    } else if (at(i + 1, j) >= at(i, j + 1)) {
      ++i;
    } else {
      ++j;
    }
  }
  return matches;
}

}  // namespace

std::vector<DiffOp> word_diff(const Words& a, const Words& b) {
  std::vector<DiffOp> ops;
  std::vector<std::pair<std::size_t, std::size_t>> matches;
  constexpr std::size_t kMaxCells = 4'000'000;
  if ((a.size() + 1) * (b.size() + 1) <= kMaxCells && a.size() < 60000 && b.size() < 60000) {
    matches = lcs(a, b);
  } else {
    // Very long texts: shared phrases of 3+ words in a's order stand for the common part.
    for (const auto& t : shared_tiles(a, b, 3)) {
      if (!matches.empty() && t.b <= matches.back().second) continue;
      for (std::size_t k = 0; k < t.length; ++k) matches.emplace_back(t.a + k, t.b + k);
    }
  }
  // Leading text before the first word (quotes, numbering punctuation) of each side.
  const auto lead = [](const Words& w) {
    return std::string_view(w.text).substr(
        0, w.tokens.empty() ? w.text.size() : w.tokens.front().begin);
  };
  if (lead(a) == lead(b)) {
    push(ops, DiffOp::Kind::kEqual, lead(a));
  } else {
    push(ops, DiffOp::Kind::kDelete, lead(a));
    push(ops, DiffOp::Kind::kInsert, lead(b));
  }
  std::size_t i = 0, j = 0;
  for (const auto& [mi, mj] : matches) {
    for (; i < mi; ++i) push(ops, DiffOp::Kind::kDelete, word_with_gap(a, i));
    for (; j < mj; ++j) push(ops, DiffOp::Kind::kInsert, word_with_gap(b, j));
    push(ops, DiffOp::Kind::kEqual, word_with_gap(a, i));
    ++i;
    ++j;
  }
  for (; i < a.size(); ++i) push(ops, DiffOp::Kind::kDelete, word_with_gap(a, i));
  for (; j < b.size(); ++j) push(ops, DiffOp::Kind::kInsert, word_with_gap(b, j));
  return ops;
}

}  // namespace concord::compare
