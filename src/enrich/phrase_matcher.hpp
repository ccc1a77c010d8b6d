// Finding known phrases in tokenized text: the longest phrase wins, matches do not overlap.
// Internal to the enrich module.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "concord/analysis.hpp"

namespace concord::enrich {

class PhraseMatcher {
 public:
  // Keys compare stems (topics: "terrorists" matches "terrorism"? no: stems, so "terrorist"
  // matches "terrorists") or normalised words (places: "Nigerian" must not match "Niger").
  enum class Keys { kStems, kWords };

  PhraseMatcher(const Analyzer& analyzer, Keys keys) : analyzer_(analyzer), keys_(keys) {}

  // Adds a phrase standing for `target`. Returns false when the phrase has no words.
  // Case rule: a phrase written in capitals (two or more letters, "WHO", "U.S.") matches only
  // the same capitals; a phrase starting with a capital matches only capitalised text.
  // A phrase in double quotes ("multilateralism") matches its exact words, never stemmed,
  // whatever the matcher's keys.
  bool add(std::string_view phrase, std::size_t target);

  struct Match {
    std::size_t first = 0, last = 0;  // token range, inclusive
    std::size_t target = 0;
  };
  // Matches in tokens of `text`. keys[i] is the key of tokens[i] (see keys_of).
  [[nodiscard]] std::vector<Match> find(std::string_view text, const std::vector<Token>& tokens,
                                        const std::vector<std::string>& keys) const;

  [[nodiscard]] std::vector<std::string> keys_of(const std::vector<Token>& tokens) const;

 private:
  enum class CaseRule { kAny, kCapitalised, kExact };
  struct Entry {
    bool exact_words = false;  // keys are words even when the matcher's keys are stems
    std::vector<std::string> keys;
    std::vector<std::string> surfaces;
    CaseRule rule = CaseRule::kAny;
    std::size_t target = 0;
  };
  [[nodiscard]] bool case_ok(const Entry& e, std::string_view text,
                             const std::vector<Token>& tokens, std::size_t first) const;

  const Analyzer& analyzer_;
  Keys keys_;
  std::vector<Entry> entries_;
  std::unordered_map<std::string, std::vector<std::size_t>> by_first_;       // longest first
  std::unordered_map<std::string, std::vector<std::size_t>> by_first_word_;  // quoted phrases
};

}  // namespace concord::enrich
