// Window choice and marking.
#include "highlighter.hpp"

#include <algorithm>
#include <set>
#include <vector>

#include "concord/text.hpp"

namespace concord::search {
namespace {

struct Mark {
  std::size_t begin, end;  // byte range in text
  std::size_t group;       // distinct query element (term or phrase) it matches
};

std::vector<Mark> find_marks(std::string_view text, const HighlightSpec& spec,
                             const Analyzer& analyzer, std::vector<Token>& tokens) {
  tokens = analyzer.tokenize(text);
  // The words as the index has them: each token, and each hyphenated word written together
  // at its first and last part's positions (see hyphen_compounds), spanning the whole word.
  struct Word {
    std::string stem;
    std::uint32_t position;
    std::size_t begin, end;
  };
  std::vector<Word> words;
  words.reserve(tokens.size());
  for (const auto& t : tokens) words.push_back({analyzer.stem(t.term), t.position, t.begin, t.end});
  for (const auto& c : hyphen_compounds(text, tokens)) {
    const std::string stem = analyzer.stem(c.term);
    for (const std::size_t at : {c.first, c.last})
      words.push_back({stem, tokens[at].position, tokens[c.first].begin, tokens[c.last].end});
  }
  std::stable_sort(words.begin(), words.end(),
                   [](const Word& a, const Word& b) { return a.position < b.position; });
  // The words at `position` (a sentence end skips positions, so a phrase never spans one).
  const auto at_position = [&](std::uint32_t position) {
    const auto from =
        std::lower_bound(words.begin(), words.end(), position,
                         [](const Word& w, std::uint32_t p) { return w.position < p; });
    auto to = from;
    while (to != words.end() && to->position == position) ++to;
    return std::pair(from, to);
  };

  std::vector<Mark> marks;
  std::size_t group = 0;
  for (const auto& phrase : spec.phrases) {
    std::size_t covered_until = 0;  // each phrase is marked left to right, without overlaps
    for (const Word& start : words) {
      if (start.stem != phrase[0] || start.begin < covered_until) continue;
      std::size_t end = start.end;
      bool match = true;
      for (std::size_t k = 1; k < phrase.size() && match; ++k) {
        const auto [from, to] = at_position(start.position + static_cast<std::uint32_t>(k));
        const auto found =
            std::find_if(from, to, [&](const Word& w) { return w.stem == phrase[k]; });
        match = found != to;
        if (match) end = std::max(end, found->end);
      }
      if (!match) continue;
      marks.push_back({start.begin, end, group});
      covered_until = end;
    }
    ++group;
  }
  std::vector<std::string> term_list(spec.terms.begin(), spec.terms.end());
  std::sort(term_list.begin(), term_list.end());
  for (const Word& w : words) {
    const auto it = std::lower_bound(term_list.begin(), term_list.end(), w.stem);
    if (it == term_list.end() || *it != w.stem) continue;
    marks.push_back({w.begin, w.end, group + static_cast<std::size_t>(it - term_list.begin())});
  }
  // Left to right, the longer first where two start together (a phrase before a word in
  // it, "co-operation" before "operation"); a mark that overlaps a kept one is dropped.
  std::sort(marks.begin(), marks.end(), [](const Mark& a, const Mark& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  std::vector<Mark> kept;
  for (const Mark& m : marks) {
    if (kept.empty() || m.begin >= kept.back().end) kept.push_back(m);
  }
  return kept;
}

// Start of the sentence containing byte `pos`, if it is within `reach` bytes.
std::size_t sentence_start(std::string_view text, std::size_t pos, std::size_t reach) {
  const std::size_t floor = pos > reach ? pos - reach : 0;
  for (std::size_t i = pos; i > floor; --i) {
    const char c = text[i - 1];
    if ((c == '.' || c == '!' || c == '?' || c == ';') && i < text.size() && text[i] == ' ')
      return i + 1;
    if (i >= 3 && text.substr(i - 3, 3) == "\xE3\x80\x82") return i;  // 。
  }
  return floor == 0 ? 0 : std::string_view::npos;
}

}  // namespace

std::string make_snippet(std::string_view text, const HighlightSpec& spec, const Analyzer& analyzer,
                         std::size_t max_bytes) {
  std::vector<Token> tokens;
  const std::vector<Mark> marks =
      spec.empty() ? std::vector<Mark>{} : find_marks(text, spec, analyzer, tokens);
  if (tokens.empty()) tokens = analyzer.tokenize(utf8_prefix(text, max_bytes + 64));

  std::size_t begin = 0, end = text.size();
  if (text.size() > max_bytes) {
    // Candidate windows start at a sentence before a mark, or a little before the mark.
    std::vector<std::size_t> starts{0};
    for (const auto& m : marks) {
      const std::size_t s = sentence_start(text, m.begin, max_bytes / 3);
      if (s != std::string_view::npos) starts.push_back(s);
      starts.push_back(m.begin > 40 ? m.begin - 40 : 0);
    }
    std::sort(starts.begin(), starts.end());
    starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
    double best = -1;
    for (const std::size_t s : starts) {
      std::set<std::size_t> groups;
      std::size_t count = 0;
      for (const auto& m : marks) {
        if (m.begin >= s && m.end <= s + max_bytes) {
          groups.insert(m.group);
          ++count;
        }
      }
      // Distinct query elements matter most, then how many marks; earlier wins ties.
      const double score = static_cast<double>(groups.size()) * 100.0 + static_cast<double>(count);
      if (score > best) {
        best = score;
        begin = s;
      }
    }
    // Snap to word boundaries: start at a token start, end after the last whole token.
    if (begin > 0) {
      for (const auto& t : tokens) {
        if (t.begin >= begin) {
          begin = t.begin;
          break;
        }
      }
    }
    end = begin;
    for (const auto& t : tokens) {
      if (t.begin < begin) continue;
      if (t.end > begin + max_bytes) break;
      end = t.end;
    }
    if (end == begin) end = begin + utf8_prefix(text.substr(begin), max_bytes).size();
    // Include trailing punctuation that closes the sentence.
    while (end < text.size() && end < begin + max_bytes + 4 &&
           (text[end] == '.' || text[end] == ',' || text[end] == ';' || text[end] == '"' ||
            text[end] == ')' || text[end] == '?' || text[end] == '!')) {
      ++end;
    }
  }

  std::string out;
  out.reserve((end - begin) + marks.size() * 14 + 8);
  if (begin > 0) out += "\xE2\x80\xA6";  // …
  std::size_t pos = begin;
  for (const auto& m : marks) {
    if (m.begin < pos || m.end > end) continue;
    append_html_escaped(out, text.substr(pos, m.begin - pos));
    out += "<mark>";
    append_html_escaped(out, text.substr(m.begin, m.end - m.begin));
    out += "</mark>";
    pos = m.end;
  }
  append_html_escaped(out, text.substr(pos, end - pos));
  if (end < text.size()) out += "\xE2\x80\xA6";
  return out;
}

}  // namespace concord::search
