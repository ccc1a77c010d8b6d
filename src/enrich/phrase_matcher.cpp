// Longest-match phrase lookup keyed by the first word.
#include "phrase_matcher.hpp"

#include <algorithm>

namespace concord::enrich {
namespace {

bool is_upper_ascii(char c) {
  return c >= 'A' && c <= 'Z';
}
bool is_lower_ascii(char c) {
  return c >= 'a' && c <= 'z';
}

// First letter of a surface form is upper case (ASCII, or a non-ASCII letter we cannot judge
// cheaply, which we accept).
bool capitalised(std::string_view surface) {
  for (const char c : surface) {
    if (is_upper_ascii(c)) return true;
    if (is_lower_ascii(c)) return false;
    if (static_cast<unsigned char>(c) >= 0x80) return true;
  }
  return false;
}

bool all_capitals(std::string_view phrase) {
  std::size_t letters = 0;
  for (const char c : phrase) {
    if (is_lower_ascii(c)) return false;
    if (is_upper_ascii(c)) ++letters;
  }
  return letters >= 2;
}

}  // namespace

std::vector<std::string> PhraseMatcher::keys_of(const std::vector<Token>& tokens) const {
  std::vector<std::string> keys;
  keys.reserve(tokens.size());
  for (const auto& t : tokens)
    keys.push_back(keys_ == Keys::kStems ? analyzer_.stem(t.term) : t.term);
  return keys;
}

bool PhraseMatcher::add(std::string_view phrase, std::size_t target) {
  Entry e;
  e.target = target;
  if (phrase.size() >= 2 && phrase.front() == '"' && phrase.back() == '"') {
    phrase = phrase.substr(1, phrase.size() - 2);
    e.exact_words = keys_ == Keys::kStems;
  }
  const std::vector<Token> tokens = analyzer_.tokenize(phrase);
  if (tokens.empty()) return false;
  for (const auto& t : tokens) {
    e.keys.push_back(keys_ == Keys::kStems && !e.exact_words ? analyzer_.stem(t.term) : t.term);
    e.surfaces.emplace_back(phrase.substr(t.begin, t.end - t.begin));
  }
  if (all_capitals(phrase)) {
    e.rule = CaseRule::kExact;
  } else if (capitalised(e.surfaces.front())) {
    e.rule = CaseRule::kCapitalised;
  }
  const std::size_t index = entries_.size();
  auto& bucket = (e.exact_words ? by_first_word_ : by_first_)[e.keys.front()];
  entries_.push_back(std::move(e));
  bucket.push_back(index);
  std::stable_sort(bucket.begin(), bucket.end(), [this](std::size_t a, std::size_t b) {
    return entries_[a].keys.size() > entries_[b].keys.size();
  });
  return true;
}

bool PhraseMatcher::case_ok(const Entry& e, std::string_view text, const std::vector<Token>& tokens,
                            std::size_t first) const {
  if (e.rule == CaseRule::kAny) return true;
  const auto surface = [&](std::size_t k) {
    return text.substr(tokens[first + k].begin, tokens[first + k].end - tokens[first + k].begin);
  };
  if (e.rule == CaseRule::kCapitalised) return capitalised(surface(0));
  for (std::size_t k = 0; k < e.surfaces.size(); ++k) {
    if (surface(k) != e.surfaces[k]) return false;
  }
  return true;
}

std::vector<PhraseMatcher::Match> PhraseMatcher::find(std::string_view text,
                                                      const std::vector<Token>& tokens,
                                                      const std::vector<std::string>& keys) const {
  std::vector<Match> out;
  std::vector<Match> here;
  for (std::size_t i = 0; i < tokens.size();) {
    // The longest phrase starting at i wins; several phrases of that length may all match
    // (an alias shared by two regions).
    std::size_t best_length = 0;
    here.clear();
    const auto consider = [&](const std::vector<std::size_t>& bucket, bool words) {
      for (const std::size_t index : bucket) {
        const Entry& e = entries_[index];
        const std::size_t n = e.keys.size();
        if (n < best_length) break;  // sorted longest first: nothing longer remains
        if (i + n > tokens.size()) continue;
        bool match = true;
        for (std::size_t k = 0; k < n && match; ++k) {
          match = (words ? tokens[i + k].term : keys[i + k]) == e.keys[k];
        }
        if (!match || !case_ok(e, text, tokens, i)) continue;
        if (n > best_length) here.clear();
        best_length = n;
        here.push_back(Match{i, i + n - 1, e.target});
      }
    };
    if (const auto it = by_first_.find(keys[i]); it != by_first_.end()) consider(it->second, false);
    if (const auto it = by_first_word_.find(tokens[i].term); it != by_first_word_.end())
      consider(it->second, true);
    out.insert(out.end(), here.begin(), here.end());
    i += best_length > 0 ? best_length : 1;
  }
  return out;
}

}  // namespace concord::enrich
