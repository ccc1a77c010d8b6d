// Terminal output helpers for the human-readable (non --json) forms.
#pragma once

#include <string>
#include <string_view>

namespace concord::cli {

struct Style {
  bool color = false;  // ANSI colours (stdout is a terminal and NO_COLOR is unset)
  std::string bold(std::string_view s) const;
  std::string dim(std::string_view s) const;
  std::string accent(std::string_view s) const;
  std::string error(std::string_view s) const;
};

Style stdout_style();
bool stderr_is_terminal();

// A snippet's HTML (escaped text, <mark>) for a terminal: entities decoded, marks shown in
// colour, or as [brackets] without colour.
std::string render_snippet(std::string_view html, const Style& style);

// Cuts text to about `width` characters at a word boundary, adding "…".
std::string ellipsize(std::string_view text, std::size_t width);

}  // namespace concord::cli
