// Numbering styles and the outline they build. Internal to the ingest module.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "concord/paper.hpp"

namespace concord::ingest {

// A line that starts like a heading: "(6) Support ...", "2.3 Scope", "一、总体要求".
struct HeadingMatch {
  std::string style;       // numbering style: "decimal1", "paren-num", "cn-num", "kw-article", ...
  int value = 0;           // the number within its style (a=1, iv=4, 十二=12)
  std::string label;       // how the number appears in a section number: "3", "2.3", "a"
  std::string numeral;     // the number as written: "iv", "C", "十二"
  std::string rest;        // the text after the number
  bool any_start = false;  // style may start at any value (Article 5 of an excerpt)
};

// Recognises the numbering at the start of a trimmed line, or nullopt.
std::optional<HeadingMatch> match_numbering(std::string_view line);

// Whether a heading reads as a paragraph of content (a sentence) rather than a title.
bool heading_is_content(std::string_view heading_text);

// Builds the section tree from headings in document order. Nesting follows the order in which
// numbering styles first appear (the convention of legal and policy drafting): a style seen
// before closes everything opened after it; a new style opens a child level. A numbered line
// whose number does not continue its style's sequence is not a heading.
class OutlineBuilder {
 public:
  explicit OutlineBuilder(std::vector<Section>& sections) : sections_(sections) {}

  // Returns the index of the new section, or -1 when the match is rejected as a heading.
  int add_numbered(const HeadingMatch& match, std::string heading_text);
  // Markdown heading of level 1..6; numbering inside its text only provides the label.
  int add_markdown(int md_level, std::string heading_text);

  // Innermost open section, or -1 before the first heading.
  [[nodiscard]] int current() const { return stack_.empty() ? -1 : stack_.back().section; }

  // Would add_numbered accept this match now? (No state change.)
  [[nodiscard]] bool accepts(const HeadingMatch& match) const;

 private:
  struct Open {
    std::string style;
    int value = 0;
    int section = -1;
    int md_level = 0;
    int children = 0;     // sections opened directly below, for unnumbered markdown labels
    std::string numeral;  // as written, for dotted numbers' parents ("2" of "2.1")
  };
  // The match as it reads in context ("(i)" after "(h)" is a letter, not a numeral).
  [[nodiscard]] HeadingMatch resolve(const HeadingMatch& match) const;
  int push(std::string style, int value, int md_level, const std::string& label,
           std::string heading_text, const std::string& numeral);

  std::vector<Section>& sections_;
  std::vector<Open> stack_;
  int top_level_count_ = 0;
};

}  // namespace concord::ingest
