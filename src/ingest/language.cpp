// Script counts decide non-Latin languages; frequent function words decide among Latin ones.
#include "language.hpp"

#include <array>
#include <unordered_map>

#include "concord/text.hpp"

namespace concord::ingest {
namespace {

struct ScriptCounts {
  std::size_t latin = 0, han = 0, kana = 0, hangul = 0, cyrillic = 0, arabic = 0, greek = 0,
              hebrew = 0, thai = 0, devanagari = 0;
};

ScriptCounts count_scripts(std::string_view text) {
  ScriptCounts c;
  std::size_t i = 0;
  while (i < text.size()) {
    const char32_t cp = next_code_point(text, i);
    if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0x24F))
      ++c.latin;
    else if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF))
      ++c.han;
    else if (cp >= 0x3040 && cp <= 0x30FF)
      ++c.kana;
    else if (cp >= 0xAC00 && cp <= 0xD7AF)
      ++c.hangul;
    else if (cp >= 0x0400 && cp <= 0x04FF)
      ++c.cyrillic;
    else if (cp >= 0x0600 && cp <= 0x06FF)
      ++c.arabic;
    else if (cp >= 0x0370 && cp <= 0x03FF)
      ++c.greek;
    else if (cp >= 0x0590 && cp <= 0x05FF)
      ++c.hebrew;
    else if (cp >= 0x0E00 && cp <= 0x0E7F)
      ++c.thai;
    else if (cp >= 0x0900 && cp <= 0x097F)
      ++c.devanagari;
  }
  return c;
}

std::string latin_language(std::string_view text) {
  struct Lang {
    std::string_view code;
    std::array<std::string_view, 16> words;
  };
  static constexpr std::array<Lang, 7> kLangs{{
      {"en",
       {"the", "and", "of", "to", "is", "in", "that", "with", "for", "are", "we", "our", "all",
        "this", "be", "by"}},
      {"fr",
       {"le", "la", "les", "et", "des", "est", "dans", "une", "du", "pour", "nous", "sont", "avec",
        "sur", "qui", "pas"}},
      {"es",
       {"el", "los", "las", "y", "del", "que", "para", "una", "con", "por", "es", "su", "como",
        "se", "al", "sus"}},
      {"de",
       {"der", "die", "und", "das", "ist", "nicht", "mit", "den", "von", "zu", "wir", "sich", "auf",
        "ein", "eine", "dem"}},
      {"pt",
       {"os", "as", "e", "do", "da", "que", "para", "uma", "com", "no", "na", "dos", "das", "em",
        "se", "nos"}},
      {"it",
       {"il", "gli", "e", "della", "che", "per", "una", "di", "del", "sono", "con", "non", "alla",
        "nel", "le", "dei"}},
      {"nl",
       {"de", "het", "en", "van", "een", "niet", "met", "zijn", "voor", "op", "dat", "wij", "ook",
        "worden", "aan", "bij"}},
  }};
  std::unordered_map<std::string, std::size_t> freq;
  std::string word;
  std::size_t words = 0;
  const auto finish = [&]() {
    if (!word.empty()) {
      ++freq[word];
      ++words;
      word.clear();
    }
  };
  for (const char c : text.substr(0, 20000)) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      word.push_back(static_cast<char>(c | 0x20));
    } else {
      finish();
    }
  }
  finish();
  std::string best = "und";
  std::size_t best_score = 0;
  for (const auto& lang : kLangs) {
    std::size_t score = 0;
    for (const auto w : lang.words) {
      auto it = freq.find(std::string(w));
      if (it != freq.end()) score += it->second;
    }
    if (score > best_score) {
      best_score = score;
      best = std::string(lang.code);
    }
  }
  // Too little evidence (a heading, a name): say nothing rather than guess.
  if (words >= 6 && best_score * 20 < words) return "und";
  return best_score == 0 ? "und" : best;
}

}  // namespace

std::string guess_language(std::string_view text) {
  const ScriptCounts c = count_scripts(text.substr(0, 200000));
  const std::size_t cjk = c.han + c.kana + c.hangul;
  const std::size_t total =
      c.latin + cjk + c.cyrillic + c.arabic + c.greek + c.hebrew + c.thai + c.devanagari;
  if (total == 0) return "und";
  // CJK characters each carry a word's worth of text; weigh them up against letters.
  if (cjk * 4 >= total - cjk) {
    if (c.kana * 10 >= cjk) return "ja";
    if (c.hangul > c.han) return "ko";
    return "zh";
  }
  const std::array<std::pair<std::size_t, std::string_view>, 6> others{{{c.cyrillic, "ru"},
                                                                        {c.arabic, "ar"},
                                                                        {c.greek, "el"},
                                                                        {c.hebrew, "he"},
                                                                        {c.thai, "th"},
                                                                        {c.devanagari, "hi"}}};
  for (const auto& [count, code] : others) {
    if (count * 2 > total) return std::string(code);
  }
  return latin_language(text);
}

void assign_paragraph_languages(Paper& paper) {
  for (auto& p : paper.paragraphs) {
    // Short paragraphs give too few function words to tell Latin-script languages apart.
    std::size_t spaces = 0;
    for (const char c : p.text) spaces += c == ' ' ? 1 : 0;
    const std::string lang = guess_language(p.text);
    const bool latin_pair = lang.size() == 2 && paper.meta.language.size() == 2 &&
                            count_scripts(p.text).latin * 2 > p.text.size();
    if (latin_pair && spaces < 20) continue;
    if (lang != "und" && !paper.meta.language.empty() && lang != paper.meta.language) {
      p.language = lang;
    }
  }
}

}  // namespace concord::ingest
