// ANSI styling and snippet rendering.
#include "terminal.hpp"

#include <unistd.h>

#include <cstdlib>

#include "concord/text.hpp"

namespace concord::cli {
namespace {

std::string wrap(bool on, std::string_view code, std::string_view s) {
  if (!on) return std::string(s);
  return "\033[" + std::string(code) + "m" + std::string(s) + "\033[0m";
}

}  // namespace

std::string Style::bold(std::string_view s) const {
  return wrap(color, "1", s);
}
std::string Style::dim(std::string_view s) const {
  return wrap(color, "2", s);
}
std::string Style::accent(std::string_view s) const {
  return wrap(color, "1;33", s);
}
std::string Style::error(std::string_view s) const {
  return wrap(color, "1;31", s);
}

Style stdout_style() {
  Style s;
  s.color = ::isatty(STDOUT_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr;
  return s;
}

bool stderr_is_terminal() {
  return ::isatty(STDERR_FILENO) == 1;
}

std::string render_snippet(std::string_view html, const Style& style) {
  std::string out;
  std::string marked;
  bool in_mark = false;
  for (std::size_t i = 0; i < html.size();) {
    if (html.substr(i, 6) == "<mark>") {
      in_mark = true;
      i += 6;
      continue;
    }
    if (html.substr(i, 7) == "</mark>") {
      out += style.color ? style.accent(marked) : "[" + marked + "]";
      marked.clear();
      in_mark = false;
      i += 7;
      continue;
    }
    std::string piece;
    if (html[i] == '&') {
      static constexpr std::pair<std::string_view, char> kEntities[] = {
          {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
      bool found = false;
      for (const auto& [entity, ch] : kEntities) {
        if (html.substr(i, entity.size()) == entity) {
          piece = std::string(1, ch);
          i += entity.size();
          found = true;
          break;
        }
      }
      if (!found) {
        piece = "&";
        ++i;
      }
    } else {
      piece = std::string(1, html[i]);
      ++i;
    }
    (in_mark ? marked : out) += piece;
  }
  return out + marked;
}

std::string ellipsize(std::string_view text, std::size_t width) {
  std::size_t chars = 0, i = 0, last_space = 0;
  while (i < text.size()) {
    if (chars == width) {
      const std::size_t cut = last_space > width / 2 ? last_space : i;
      return std::string(trim(text.substr(0, cut))) + "\xE2\x80\xA6";
    }
    if (text[i] == ' ') last_space = i;
    i += utf8_sequence_length(static_cast<unsigned char>(text[i]));
    ++chars;
  }
  return std::string(text);
}

}  // namespace concord::cli
