// Fuzz target: the query front, a query string plus filters, compiled and run against a
// small index built on first use. Input: lines; the first is the query, the others filters
// ("field:value"); a last line starting with '#' sets offset/limit bytes.
#include "fuzz_target.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "concord/error.hpp"
#include "concord/index.hpp"
#include "concord/indexer.hpp"
#include "concord/search.hpp"
#include "fuzz_index.hpp"

namespace {

concord::IndexReader& reader() {
  static std::unique_ptr<concord::IndexReader> r = [] {
    const auto index = concord::fuzz::build_index(
        {{"paper.txt",
          "Global Security Initiative\n\n1. Background\n\nPeace and security in Africa and "
          "the Middle East. Nuclear disarmament.\n\n(1) Uphold the ASEAN way of consensus. "
          "Maritime cooperation in the South China Sea.\n\n2. Climate\n\nClimate change and "
          "food security in the Sahel; biosecurity laboratories.\n"}});
    return std::make_unique<concord::IndexReader>(
        concord::IndexReader::open(concord::IndexLocation::directory(index)));
  }();
  return *r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  concord::SearchRequest request;
  bool first = true;
  for (const std::string& line :
       concord::fuzz::lines({reinterpret_cast<const char*>(data), size})) {
    if (first) {
      request.query = line;
      first = false;
    } else if (!line.empty() && line[0] == '#' && line.size() >= 3) {
      request.offset = static_cast<unsigned char>(line[1]) * 40;
      request.limit = static_cast<unsigned char>(line[2]) * 4;
      request.facets.count_documents = line.size() > 3 && (line[3] & 1);
      request.per_doc = line.size() > 4 ? static_cast<unsigned char>(line[4]) % 3 : 0;
    } else {
      try {
        request.filters.push_back(concord::parse_filter(line));
      } catch (const concord::Error&) {
      }
    }
  }
  try {
    concord::Searcher searcher(reader());
    const auto response = searcher.search(request);
    if (response.results.size() > request.limit) __builtin_trap();
  } catch (const concord::Error&) {
  }
  return 0;
}
