// Snippets: the best window of a paragraph with the query's words marked. Internal.
//
// Built on the Analyzer's token offsets rather than Xapian's own snippet tokenizer, so that
// marks follow exactly the words that matched: the same ICU word boundaries (Chinese words
// included), the same accent and case folding, the same stems; phrases are marked only where
// the whole phrase occurs. Works from the stored paragraph text of each hit, so it runs the
// same way whether the hit came from a local index or a remote shard.
#pragma once

#include <string>
#include <string_view>

#include "concord/analysis.hpp"
#include "query_compiler.hpp"

namespace concord::search {

// Returns HTML: the text escaped (&, <, >, ", '), marks as <mark>…</mark>, "…" where the window
// cuts the paragraph. At most about max_bytes of text (a word is never cut).
std::string make_snippet(std::string_view text, const HighlightSpec& spec, const Analyzer& analyzer,
                         std::size_t max_bytes);

}  // namespace concord::search
