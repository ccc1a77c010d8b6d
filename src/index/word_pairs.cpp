#include "word_pairs.hpp"

#include <algorithm>
#include <vector>

#include "schema.hpp"

namespace concord::embedded_index {
extern const std::string_view kWordPairStemsEnglish;
}

namespace concord::index {

WordPairs WordPairs::parse(std::string_view lines) {
  WordPairs out;
  std::size_t start = 0;
  while (start < lines.size()) {
    std::size_t end = lines.find('\n', start);
    if (end == std::string_view::npos) end = lines.size();
    const std::string_view line = lines.substr(start, end - start);
    if (!line.empty() && line.front() != '#') out.stems_.emplace(line);
    start = end + 1;
  }
  return out;
}

WordPairs WordPairs::for_new_index(std::string_view stem_language) {
  if (stem_language != "english" && stem_language != "en") return {};
  return parse(embedded_index::kWordPairStemsEnglish);
}

WordPairs WordPairs::of(const Xapian::Database& db) {
  return parse(db.get_metadata(std::string(schema::kWordPairsKey)));
}

std::string WordPairs::metadata() const {
  std::vector<std::string> sorted(stems_.begin(), stems_.end());
  std::sort(sorted.begin(), sorted.end());
  std::string out;
  for (const auto& stem : sorted) out += stem + '\n';
  return out;
}

std::string WordPairs::term(std::string_view first, std::string_view second) {
  std::string out(schema::kWordPair);
  out += first;
  out += ' ';
  out += second;
  return out;
}

}  // namespace concord::index
