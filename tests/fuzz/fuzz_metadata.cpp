// Fuzz target: JSON sidecars, front matter (through Markdown parsing) and metadata tables.
// The first byte picks the parser.
#include "fuzz_target.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "concord/error.hpp"
#include "concord/ingest.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    switch (data[0] % 3) {
      case 0:
        (void)concord::parse_sidecar(text, "fuzz.meta.json");
        break;
      case 1: {
        // Front matter followed by a body.
        (void)concord::parse_text(text, concord::TextFormat::kMarkdown);
        break;
      }
      default: {
        const auto table = concord::MetadataTable::parse(text, "fuzz.csv");
        (void)table.find("/corpus/a.txt", "/corpus");
        break;
      }
    }
  } catch (const concord::Error&) {
  }
  return 0;
}
