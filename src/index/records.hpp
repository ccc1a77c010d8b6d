// Serialised forms of document records and paragraph entries (Xapian document data).
// Internal to the library.
#pragma once

#include <string>
#include <string_view>

#include "concord/index.hpp"

namespace concord::records {

std::string encode_document(const DocumentInfo& info);
DocumentInfo decode_document(std::string_view data);

std::string encode_paragraph(std::string_view doc_id, const Paragraph& p,
                             const ParagraphTags* tags);
ParagraphRecord decode_paragraph(std::string_view data);

}  // namespace concord::records
