// Text analysis: the one place where text becomes terms. Index and query time both go through
// an Analyzer, so the two can never disagree.
//
// Pipeline per word: ICU word boundaries (dictionary segmentation for Chinese and Japanese),
// NFKC normalisation with case folding, removal of Latin/Greek/Cyrillic accents, removal of
// in-word punctuation ("U.S" -> "us", "2,000" -> "2000"), then a Snowball stemmer.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace concord {

struct Token {
  std::string term;         // normalised word, not stemmed
  std::uint32_t begin = 0;  // byte offsets of the word in the analysed text
  std::uint32_t end = 0;
  // 1-based word position in the text. Sentence-ending punctuation between two words (。！？；
  // .!? ; and their full-width forms) adds Analyzer::kSentenceGap, so phrase and NEAR queries,
  // which need nearby positions, never match across a sentence boundary.
  std::uint32_t position = 0;
  bool ideographic = false;  // Han or Kana word: several of them in a row form a phrase
};

// An Analyzer is cheap to create but not safe for concurrent use (it owns an ICU break
// iterator); give each thread its own.
class Analyzer {
 public:
  // stem_language: a Snowball language name ("english", "none" for no stemming).
  explicit Analyzer(const std::string& stem_language = "english");
  ~Analyzer();
  Analyzer(Analyzer&&) noexcept;
  Analyzer& operator=(Analyzer&&) noexcept;
  Analyzer(const Analyzer&) = delete;
  Analyzer& operator=(const Analyzer&) = delete;

  // Words of text (valid UTF-8) with byte offsets. Words longer than kMaxTermBytes after
  // normalisation are dropped, as are "words" made only of punctuation.
  [[nodiscard]] std::vector<Token> tokenize(std::string_view text) const;
  void tokenize(std::string_view text, std::vector<Token>& out) const;

  // Normalises one word the way tokenize does (no splitting); empty if nothing remains.
  [[nodiscard]] std::string normalize(std::string_view word) const;

  // The index term for a normalised word.
  [[nodiscard]] std::string stem(std::string_view normalized_word) const;

  [[nodiscard]] const std::string& stem_language() const;

  static constexpr std::size_t kMaxTermBytes = 64;
  // Larger than any NEAR window people use, small enough that a 64 KiB paragraph of
  // one-word sentences stays far below 2^32 positions.
  static constexpr std::uint32_t kSentenceGap = 1000;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A word written with hyphens, "co-operation", "non-proliferation", "G-20": tokens
// [first, last] joined by single hyphens, and `term`, their words written together
// ("cooperation"). Indexed beside the parts, so either spelling finds the other. Runs of
// numbers ("2019-2020") are ranges, not words, and are left out.
struct HyphenCompound {
  std::size_t first = 0;
  std::size_t last = 0;
  std::string term;  // normalised, not stemmed
};
std::vector<HyphenCompound> hyphen_compounds(std::string_view text,
                                             const std::vector<Token>& tokens);

// The English stop words: QueryParser's stopper drops them outside phrases, and word pairs
// (see index::WordPairs) leave them out.
const std::vector<std::string_view>& english_stop_words();

// True when the code point is Han, Hiragana, Katakana or Hangul.
bool is_cjk_code_point(char32_t cp);

}  // namespace concord
