// Language identification by script and function words. Internal to the ingest module.
#pragma once

#include <string>
#include <string_view>

#include "concord/paper.hpp"

namespace concord::ingest {

// BCP 47 primary tag for a text: "zh", "ja", "ko", "ru", "ar", "en", "fr", "es", ... or "und".
std::string guess_language(std::string_view text);

// Sets Paragraph::language for paragraphs whose language differs from the paper's.
void assign_paragraph_languages(Paper& paper);

}  // namespace concord::ingest
