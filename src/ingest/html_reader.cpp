// HTML through libxml2's HTML parser: headings and numbered paragraphs become sections,
// lists and table cells become text, navigation and scripts are dropped, <title> and <meta>
// give metadata.
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include <memory>
#include <set>

#include "blocks.hpp"
#include "concord/error.hpp"
#include "concord/text.hpp"
#include "decode.hpp"
#include "formats.hpp"
#include "language.hpp"
#include "metadata.hpp"
#include "paragraphs.hpp"

namespace concord::ingest {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return out;
}

std::string name_of(const xmlNode* n) {
  return n->name ? lower(reinterpret_cast<const char*>(n->name)) : "";
}

std::string attribute(const xmlNode* n, const char* name) {
  xmlChar* value = xmlGetProp(const_cast<xmlNode*>(n), reinterpret_cast<const xmlChar*>(name));
  if (value == nullptr) return {};
  std::string out(reinterpret_cast<const char*>(value));
  xmlFree(value);
  return out;
}

const std::set<std::string> kDropped{"script",   "style",  "nav",  "footer", "noscript",
                                     "template", "svg",    "form", "button", "select",
                                     "iframe",   "object", "head", "aside"};
const std::set<std::string> kBlocks{"p",       "div",     "li",      "dd",   "dt",     "blockquote",
                                    "pre",     "section", "article", "main", "header", "figcaption",
                                    "caption", "address", "td",      "th",   "tr",     "table",
                                    "ul",      "ol",      "dl",      "body", "center", "details",
                                    "summary", "hr"};

// The value of `charset=` at `pos` in a lowered tag, without quotes.
std::string charset_value(std::string_view tag, std::size_t pos) {
  std::size_t k = pos + 7;
  while (k < tag.size() && (tag[k] == ' ' || tag[k] == '\t')) ++k;
  if (k >= tag.size() || tag[k] != '=') return {};
  ++k;
  while (k < tag.size() && (tag[k] == ' ' || tag[k] == '"' || tag[k] == '\'')) ++k;
  std::size_t end = k;
  while (end < tag.size() &&
         (std::isalnum(static_cast<unsigned char>(tag[end])) || tag[end] == '-' ||
          tag[end] == '_' || tag[end] == ':' || tag[end] == '.'))
    ++end;
  return std::string(tag.substr(k, end - k));
}

// The charset a page declares in <meta charset>, <meta http-equiv content="...charset=">, or
// an XML declaration, read from the raw bytes before parsing. Only those tags count: a page
// whose text mentions "charset=latin1" declares nothing.
std::string declared_charset(std::string_view bytes) {
  const std::string head = lower(bytes.substr(0, 4096));
  if (head.compare(0, 5, "<?xml") == 0) {
    const std::string_view decl = std::string_view(head).substr(0, head.find("?>"));
    if (const std::size_t e = decl.find("encoding"); e != std::string_view::npos) {
      std::size_t k = decl.find_first_of("\"'", e);
      if (k != std::string_view::npos) {
        const std::size_t end = decl.find_first_of("\"'", k + 1);
        if (end != std::string_view::npos) return std::string(decl.substr(k + 1, end - k - 1));
      }
    }
  }
  for (std::size_t pos = head.find("<meta"); pos != std::string::npos;
       pos = head.find("<meta", pos + 5)) {
    const std::size_t close = head.find('>', pos);
    const std::string_view tag =
        std::string_view(head).substr(pos, close == std::string::npos ? close : close - pos);
    if (const std::size_t c = tag.find("charset"); c != std::string_view::npos) {
      std::string value = charset_value(tag, c);
      if (!value.empty()) return value;
    }
  }
  return {};
}

class Walker {
 public:
  std::vector<Block> blocks;
  DocumentMeta meta;

  void walk(const xmlNode* node) {
    for (const xmlNode* n = node; n != nullptr; n = n->next) visit(n);
  }

  void flush() {
    if (!trim(current_).empty()) blocks.push_back(Block{0, current_, 0, 0, 0});
    current_.clear();
  }

 private:
  void visit(const xmlNode* n) {
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
      if (n->content) current_ += reinterpret_cast<const char*>(n->content);
      return;
    }
    if (n->type != XML_ELEMENT_NODE) return;
    const std::string name = name_of(n);
    // `hidden` is a boolean attribute: present means hidden, whatever its value (often none).
    if (kDropped.count(name) ||
        xmlHasProp(const_cast<xmlNode*>(n), reinterpret_cast<const xmlChar*>("hidden")) ||
        lower(attribute(n, "aria-hidden")) == "true" || lower(attribute(n, "role")) == "navigation")
      return;
    if (name == "br") {
      current_ += '\n';
      return;
    }
    if (name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6') {
      flush();
      Walker inner;
      inner.walk(n->children);
      inner.flush();
      std::string text;
      for (const auto& b : inner.blocks) text += (text.empty() ? "" : " ") + b.text;
      if (!trim(text).empty()) blocks.push_back(Block{name[1] - '0', text, 0, 0, 0});
      return;
    }
    if (name == "tr") {
      // A table row is one paragraph: its cells joined.
      flush();
      std::string row;
      for (const xmlNode* cell = n->children; cell != nullptr; cell = cell->next) {
        if (cell->type != XML_ELEMENT_NODE) continue;
        Walker inner;
        inner.walk(cell->children);
        inner.flush();
        std::string text;
        for (const auto& b : inner.blocks) text += (text.empty() ? "" : " ") + b.text;
        if (!trim(text).empty()) row += (row.empty() ? "" : " | ") + text;
      }
      if (!row.empty()) blocks.push_back(Block{0, row, 0, 0, 0});
      return;
    }
    const bool block = kBlocks.count(name) > 0;
    if (block) flush();
    walk(n->children);
    if (block) flush();
  }

  std::string current_;
};

void read_head(const xmlNode* node, DocumentMeta& meta) {
  for (const xmlNode* n = node; n != nullptr; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    const std::string name = name_of(n);
    if (name == "title" && meta.title.empty()) {
      xmlChar* text = xmlNodeGetContent(n);
      if (text) {
        meta.title = collapse_spaces(reinterpret_cast<const char*>(text));
        xmlFree(text);
      }
    } else if (name == "meta") {
      const std::string key =
          lower(attribute(n, "name").empty() ? attribute(n, "property") : attribute(n, "name"));
      const std::string value = std::string(trim(attribute(n, "content")));
      if (value.empty()) continue;
      try {
        if (key == "og:title" || key == "dc.title")
          meta.title = value;
        else if (key == "author" || key == "dc.creator" || key == "publisher" ||
                 key == "dc.publisher") {
          if (meta.issuer.empty()) meta.issuer = value;
        } else if (key == "date" || key == "dc.date" || key == "article:published_time" ||
                   key == "citation_date") {
          if (meta.date.empty()) meta.date = validate_date(value.substr(0, 10), "meta date");
        } else if (key == "description" || key == "keywords") {
          meta.extra[key] = value;
        }
      } catch (const Error&) {
        // A malformed date in a page's meta tags is not worth refusing the page for.
      }
    }
    if (n->children) read_head(n->children, meta);
  }
}

}  // namespace

Paper parse_html(std::string_view bytes, const DocumentMeta& sidecar,
                 const IngestOptions& options) {
  // Decode to UTF-8 ourselves (declared charset, BOM, or detection) so libxml2 sees one encoding.
  const DecodedText decoded = decode_text(bytes, declared_charset(bytes));
  std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)> doc(
      htmlReadMemory(decoded.text.data(), static_cast<int>(decoded.text.size()), nullptr, "UTF-8",
                     HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                         HTML_PARSE_NONET | HTML_PARSE_NOBLANKS),
      &xmlFreeDoc);
  if (!doc) throw Error(ErrorCode::kInvalidInput, "not an HTML document");
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  if (root == nullptr) throw Error(ErrorCode::kInvalidInput, "empty HTML document");
  Paper paper;
  paper.format = "html";
  paper.warnings = decoded.warnings;
  DocumentMeta meta;
  read_head(root, meta);
  const std::string lang = attribute(root, "lang");
  Walker walker;
  const xmlNode* body = nullptr;
  for (const xmlNode* n = root->children; n != nullptr; n = n->next) {
    if (n->type == XML_ELEMENT_NODE && name_of(n) == "body") body = n;
  }
  walker.walk(body ? body->children : root->children);
  walker.flush();
  // A lone <h1> that repeats the title is the title, not a section.
  auto& blocks = walker.blocks;
  if (!blocks.empty() && blocks.front().heading_level == 1) {
    int h1 = 0;
    for (const auto& b : blocks) h1 += b.heading_level == 1 ? 1 : 0;
    if (h1 == 1) {
      if (meta.title.empty() || collapse_spaces(blocks.front().text) == meta.title)
        meta.title = collapse_spaces(blocks.front().text);
      blocks.erase(blocks.begin());
    }
  }
  assemble_blocks(blocks, paper, options);
  std::string all;
  for (const auto& p : paper.paragraphs) all += p.text + "\n";
  meta.language = !lang.empty() ? lower(lang.substr(0, lang.find('-'))) : guess_language(all);
  merge_meta(meta, sidecar);
  paper.meta = std::move(meta);
  assign_paragraph_languages(paper);
  return paper;
}

}  // namespace concord::ingest
