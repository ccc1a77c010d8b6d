// ICU-based word breaking and normalisation, Snowball stemming through Xapian::Stem.
#include "concord/analysis.hpp"

#include <algorithm>

#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utext.h>
#include <xapian.h>

#include "concord/error.hpp"
#include "concord/text.hpp"

namespace concord {
namespace {

void check(UErrorCode status, const char* what) {
  if (U_FAILURE(status)) {
    throw Error(ErrorCode::kInternal,
                std::string("ICU failure in ") + what + ": " + u_errorName(status));
  }
}

// Accents of Latin, Greek and Cyrillic letters after canonical decomposition. Marks of other
// scripts (Thai vowels, Indic signs) carry meaning and are kept.
bool is_foldable_accent(UChar32 c) {
  return c >= 0x0300 && c <= 0x036F;
}

bool is_kept_in_term(UChar32 c) {
  const int8_t type = u_charType(c);
  switch (type) {
    case U_UPPERCASE_LETTER:
    case U_LOWERCASE_LETTER:
    case U_TITLECASE_LETTER:
    case U_MODIFIER_LETTER:
    case U_OTHER_LETTER:
    case U_DECIMAL_DIGIT_NUMBER:
    case U_LETTER_NUMBER:
    case U_OTHER_NUMBER:
    case U_NON_SPACING_MARK:
    case U_COMBINING_SPACING_MARK:
    case U_ENCLOSING_MARK:
      return true;
    default:
      return false;
  }
}

// Words after a full stop that do not end a sentence: "Mr. Smith", "No. 5", "cf. Annex".
bool is_abbreviation(std::string_view word) {
  if (word.find('.') != std::string_view::npos) return true;  // "U.S", "e.g"
  if (word.size() == 1) return true;                          // initials: "J. Smith"
  static constexpr std::string_view kAbbreviations[] = {
      "mr",  "mrs", "ms",  "dr",     "prof", "no",  "nos",  "art", "arts", "para", "paras",
      "vol", "fig", "st",  "vs",     "cf",   "jr",  "sr",   "inc", "ltd",  "co",   "corp",
      "gen", "rev", "hon", "approx", "ed",   "eds", "pp",   "sec", "ch",   "jan",  "feb",
      "mar", "apr", "jun", "jul",    "aug",  "sep", "sept", "oct", "nov",  "dec"};
  std::string lower(word);
  for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  for (const std::string_view a : kAbbreviations) {
    if (lower == a) return true;
  }
  return false;
}

// Whether the characters between two words end a sentence, so that a phrase must not span
// them. Ideographic and full-width terminators always do; an ASCII full stop only when a space
// or a CJK word follows and the word before it is not an abbreviation, so "U.S. policy" and
// "Mr. Smith" stay phrases.
bool ends_sentence(std::string_view gap, std::string_view previous, std::string_view next) {
  for (std::size_t i = 0; i < gap.size();) {
    const std::size_t at = i;
    const char32_t cp = next_code_point(gap, i);
    switch (cp) {
      case U'!':
      case U'?':
      case U';':
      case U'\u3002':
      case U'\uFF61':  // 。 ｡
      case U'\uFF01':
      case U'\uFF1F':
      case U'\uFF1B':
      case U'\uFF0E':  // ！ ？ ； ．
        return true;
      case U'.': {
        if (is_abbreviation(previous)) break;
        const std::string_view rest = gap.substr(at + 1);
        if (rest.empty()) {
          std::size_t k = 0;
          if (!next.empty() && is_cjk_code_point(next_code_point(next, k))) return true;
          break;
        }
        const std::size_t after = rest.find_first_not_of("\"')]\xE2\x80\x9D\x99");
        if (after != std::string_view::npos && (rest[after] == ' ' || rest[after] == '\n' ||
                                                rest[after] == '\t' || rest[after] == '\r'))
          return true;
        // A closing quote or bracket up to the next word: "... end." Next
        if (after == std::string_view::npos) return true;
        break;
      }
      default:
        break;
    }
  }
  return false;
}

}  // namespace

struct Analyzer::Impl {
  std::unique_ptr<icu::BreakIterator> breaker;
  const icu::Normalizer2* nfkc_casefold = nullptr;
  const icu::Normalizer2* nfd = nullptr;
  const icu::Normalizer2* nfc = nullptr;
  Xapian::Stem stemmer;
  std::string language;

  std::string normalize_non_ascii(std::string_view word) const {
    UErrorCode status = U_ZERO_ERROR;
    const icu::UnicodeString source = icu::UnicodeString::fromUTF8(
        icu::StringPiece(word.data(), static_cast<int32_t>(word.size())));
    icu::UnicodeString folded = nfkc_casefold->normalize(source, status);
    check(status, "NFKC_Casefold");
    icu::UnicodeString decomposed = nfd->normalize(folded, status);
    check(status, "NFD");
    icu::UnicodeString kept;
    for (int32_t i = 0; i < decomposed.length();) {
      const UChar32 c = decomposed.char32At(i);
      i += U16_LENGTH(c);
      if (is_foldable_accent(c) || !is_kept_in_term(c)) continue;
      kept.append(c);
    }
    icu::UnicodeString composed = nfc->normalize(kept, status);
    check(status, "NFC");
    std::string out;
    composed.toUTF8String(out);
    return out;
  }

  std::string normalize(std::string_view word) const {
    // English possessives: "China's" is a form of "China" (for place names and stemming).
    for (const std::string_view suffix : {"'s", "'S", "\xE2\x80\x99s", "\xE2\x80\x99S"}) {
      if (word.size() > suffix.size() + 1 && word.substr(word.size() - suffix.size()) == suffix) {
        word.remove_suffix(suffix.size());
        break;
      }
    }
    bool ascii = true;
    for (const char c : word) {
      if (static_cast<unsigned char>(c) >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (!ascii) return normalize_non_ascii(word);
    std::string out;
    out.reserve(word.size());
    for (const char c : word) {
      if (c >= 'A' && c <= 'Z') {
        out.push_back(static_cast<char>(c - 'A' + 'a'));
      } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        out.push_back(c);
      }
    }
    return out;
  }
};

Analyzer::Analyzer(const std::string& stem_language) : impl_(std::make_unique<Impl>()) {
  UErrorCode status = U_ZERO_ERROR;
  impl_->breaker.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
  check(status, "createWordInstance");
  impl_->nfkc_casefold = icu::Normalizer2::getNFKCCasefoldInstance(status);
  check(status, "getNFKCCasefoldInstance");
  impl_->nfd = icu::Normalizer2::getNFDInstance(status);
  check(status, "getNFDInstance");
  impl_->nfc = icu::Normalizer2::getNFCInstance(status);
  check(status, "getNFCInstance");
  impl_->language = stem_language;
  if (stem_language != "none" && !stem_language.empty()) {
    try {
      impl_->stemmer = Xapian::Stem(stem_language);
    } catch (const Xapian::InvalidArgumentError&) {
      throw Error(ErrorCode::kInvalidArgument, "unknown stemming language '" + stem_language + "'");
    }
  }
}

Analyzer::~Analyzer() = default;
Analyzer::Analyzer(Analyzer&&) noexcept = default;
Analyzer& Analyzer::operator=(Analyzer&&) noexcept = default;

const std::string& Analyzer::stem_language() const {
  return impl_->language;
}

std::vector<Token> Analyzer::tokenize(std::string_view text) const {
  std::vector<Token> out;
  tokenize(text, out);
  return out;
}

void Analyzer::tokenize(std::string_view text, std::vector<Token>& out) const {
  out.clear();
  if (text.empty()) return;
  UErrorCode status = U_ZERO_ERROR;
  UText* ut = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status);
  check(status, "utext_openUTF8");
  std::unique_ptr<UText, decltype(&utext_close)> guard(ut, &utext_close);
  icu::BreakIterator& bi = *impl_->breaker;
  bi.setText(ut, status);
  check(status, "BreakIterator::setText");
  std::uint32_t position = 0;
  std::size_t previous_end = 0;
  std::string_view previous_word;
  int32_t start = bi.first();
  for (int32_t end = bi.next(); end != icu::BreakIterator::DONE; start = end, end = bi.next()) {
    const int32_t rule = bi.getRuleStatus();
    if (rule < UBRK_WORD_NONE_LIMIT) continue;
    const std::string_view word =
        text.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(end - start));
    std::string term = impl_->normalize(word);
    if (term.empty() || term.size() > kMaxTermBytes) continue;
    Token token;
    token.term = std::move(term);
    token.begin = static_cast<std::uint32_t>(start);
    token.end = static_cast<std::uint32_t>(end);
    if (!out.empty() &&
        ends_sentence(text.substr(previous_end, static_cast<std::size_t>(start) - previous_end),
                      previous_word, word)) {
      position += kSentenceGap;
    }
    previous_end = static_cast<std::size_t>(end);
    previous_word = word;
    token.position = ++position;
    token.ideographic = (rule >= UBRK_WORD_KANA && rule < UBRK_WORD_IDEO_LIMIT);
    out.push_back(std::move(token));
  }
  // Reset so the iterator does not keep a pointer to text after we return.
  bi.setText(icu::UnicodeString());
}

std::string Analyzer::normalize(std::string_view word) const {
  std::string term = impl_->normalize(word);
  return term.size() > kMaxTermBytes ? std::string() : term;
}

std::string Analyzer::stem(std::string_view normalized_word) const {
  std::string word(normalized_word);
  if (impl_->language == "none" || impl_->language.empty()) return word;
  // Snowball stemmers only know their own alphabet; leave CJK words as they are.
  std::size_t i = 0;
  if (!word.empty() && is_cjk_code_point(next_code_point(word, i))) return word;
  return impl_->stemmer(word);
}

std::vector<HyphenCompound> hyphen_compounds(std::string_view text,
                                             const std::vector<Token>& tokens) {
  const auto joined_by_hyphen = [&](const Token& left, const Token& right) {
    if (left.ideographic || right.ideographic || right.begin < left.end) return false;
    const std::string_view gap = text.substr(left.end, right.begin - left.end);
    return gap == "-" || gap == "\u2010" || gap == "\u2011";  // hyphen-minus, hyphen, no-break
  };
  const auto is_number = [](const std::string& term) {
    return std::all_of(term.begin(), term.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  std::vector<HyphenCompound> out;
  for (std::size_t first = 0; first < tokens.size();) {
    std::size_t last = first;
    while (last + 1 < tokens.size() && joined_by_hyphen(tokens[last], tokens[last + 1])) ++last;
    if (last > first) {
      HyphenCompound compound{first, last, {}};
      bool numbers_only = true;
      for (std::size_t i = first; i <= last; ++i) {
        compound.term += tokens[i].term;
        numbers_only = numbers_only && is_number(tokens[i].term);
      }
      if (!numbers_only && compound.term.size() <= Analyzer::kMaxTermBytes)
        out.push_back(std::move(compound));
    }
    first = last + 1;
  }
  return out;
}

const std::vector<std::string_view>& english_stop_words() {
  static const std::vector<std::string_view> kWords{
      "a",      "about",  "above", "after",  "again",    "against",    "all",  "am",
      "an",     "and",    "any",   "are",    "as",       "at",         "be",   "because",
      "been",   "before", "being", "below",  "between",  "both",       "but",  "by",
      "can",    "could",  "did",   "do",     "does",     "doing",      "down", "during",
      "each",   "few",    "for",   "from",   "further",  "had",        "has",  "have",
      "having", "he",     "her",   "here",   "hers",     "herself",    "him",  "himself",
      "his",    "how",    "i",     "if",     "in",       "into",       "is",   "it",
      "its",    "itself", "just",  "me",     "more",     "most",       "my",   "myself",
      "no",     "nor",    "not",   "now",    "of",       "off",        "on",   "once",
      "only",   "or",     "other", "our",    "ours",     "ourselves",  "out",  "over",
      "own",    "same",   "she",   "should", "so",       "some",       "such", "than",
      "that",   "the",    "their", "theirs", "them",     "themselves", "then", "there",
      "these",  "they",   "this",  "those",  "through",  "to",         "too",  "under",
      "until",  "up",     "very",  "was",    "we",       "were",       "what", "when",
      "where",  "which",  "while", "who",    "whom",     "why",        "will", "with",
      "would",  "you",    "your",  "yours",  "yourself", "yourselves"};
  return kWords;
}

bool is_cjk_code_point(char32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0x20000 && cp <= 0x2FA1F) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x31F0 && cp <= 0x31FF) ||
         (cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0x1100 && cp <= 0x11FF) ||
         (cp >= 0x3130 && cp <= 0x318F);
}

}  // namespace concord
