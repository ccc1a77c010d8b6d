// Fuzz target: structure detection of plain text, Markdown and HTML papers.
// The first byte picks the format; the rest is the file's content.
#include "fuzz_target.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

#include "concord/error.hpp"
#include "concord/ingest.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static const char* const kNames[] = {"/fuzz/paper.txt", "/fuzz/paper.md", "/fuzz/paper.html"};
  concord::SourceFile source;
  source.path = kNames[data[0] % 3];
  source.bytes.assign(reinterpret_cast<const char*>(data) + 1, size - 1);
  source.fingerprint = "fuzz";
  concord::IngestOptions options;
  options.max_paragraph_bytes = 1024;  // exercise paragraph splitting on small inputs
  try {
    const concord::Paper paper = concord::parse_source(source, options);
    // Invariants any caller relies on: entries are non-empty, ordinals count up from 1 and
    // every section index is valid.
    for (std::size_t i = 0; i < paper.paragraphs.size(); ++i) {
      const auto& p = paper.paragraphs[i];
      if (p.text.empty() || p.ordinal != i + 1) __builtin_trap();
      if (p.section >= static_cast<int>(paper.sections.size())) __builtin_trap();
    }
  } catch (const concord::Error&) {
    // Refusing bad input with a clear error is the expected outcome for most inputs.
  }
  return 0;
}
