// Format readers. Internal to the ingest module; files.cpp picks one by extension and content.
#pragma once

#include <string_view>
#include <vector>

#include "concord/ingest.hpp"
#include "concord/paper.hpp"
#include "decode.hpp"

namespace concord::ingest {

// Each reads the raw bytes of a file; `sidecar` metadata wins over what the file says.
// Each throws Error(kInvalidInput) with a message naming what is wrong.
Paper parse_html(std::string_view bytes, const DocumentMeta& sidecar, const IngestOptions& options);
Paper parse_docx(std::string_view bytes, const DocumentMeta& sidecar, const IngestOptions& options);
Paper parse_pdf(std::string_view bytes, const DocumentMeta& sidecar, const IngestOptions& options);

// Where plain text came from, when it was extracted from a paged format.
struct LayoutHints {
  std::vector<std::size_t> page_starts;  // offset of each page's first byte, in order
  bool from_pdf = false;                 // undo hyphenation, drop page-number lines
};

// The plain-text and Markdown parser, for text already decoded.
Paper parse_decoded_text(DecodedText decoded, TextFormat format, const DocumentMeta& sidecar,
                         const IngestOptions& options, const LayoutHints& hints);

// What the first bytes say a file is: "pdf", "zip", "html", "text" or "binary".
std::string_view sniff_content(std::string_view bytes);

}  // namespace concord::ingest
