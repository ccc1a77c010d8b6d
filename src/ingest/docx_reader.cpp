// DOCX through libzip and libxml2: paragraph styles (Heading 1..n, Title) and outline levels
// give sections, list paragraphs become items, docProps/core.xml gives metadata. Archives are
// checked before anything is inflated, so a zip bomb is refused, not unpacked.
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <zip.h>

#include <algorithm>
#include <map>
#include <memory>
#include <vector>

#include "blocks.hpp"
#include "concord/error.hpp"
#include "concord/text.hpp"
#include "formats.hpp"
#include "language.hpp"
#include "metadata.hpp"
#include "paragraphs.hpp"
#include "structure.hpp"

namespace concord::ingest {
namespace {

constexpr zip_uint64_t kMaxPartBytes = 64ull << 20;    // one XML part, inflated
constexpr zip_uint64_t kMaxTotalBytes = 256ull << 20;  // all parts we read, inflated
constexpr double kMaxRatio = 200.0;                    // inflated / compressed

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};

std::string read_part(zip_t* archive, const char* name, bool required, zip_uint64_t& budget) {
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat(archive, name, 0, &st) != 0) {
    if (required)
      throw Error(ErrorCode::kInvalidInput, std::string("not a Word document (no ") + name + ")");
    return {};
  }
  if ((st.valid & ZIP_STAT_SIZE) == 0 || st.size > kMaxPartBytes || st.size > budget ||
      ((st.valid & ZIP_STAT_COMP_SIZE) && st.comp_size > 0 &&
       static_cast<double>(st.size) / static_cast<double>(st.comp_size) > kMaxRatio &&
       st.size > (1u << 20))) {
    throw Error(ErrorCode::kInvalidInput, std::string("refused: ") + name + " would inflate to " +
                                              std::to_string(st.size >> 20) +
                                              " MiB (a zip bomb or an oversized document)");
  }
  std::unique_ptr<zip_file_t, decltype(&zip_fclose)> file(zip_fopen(archive, name, 0), &zip_fclose);
  if (!file)
    throw Error(ErrorCode::kInvalidInput, std::string("cannot read ") + name + " in the archive");
  std::string out(st.size, '\0');
  zip_uint64_t done = 0;
  while (done < st.size) {
    const zip_int64_t n = zip_fread(file.get(), out.data() + done, st.size - done);
    if (n <= 0) break;
    done += static_cast<zip_uint64_t>(n);
  }
  if (done != st.size)
    throw Error(ErrorCode::kInvalidInput, std::string("corrupt archive member ") + name);
  budget -= st.size;
  return out;
}

using XmlDoc = std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)>;

XmlDoc parse_xml(const std::string& xml, const char* what) {
  XmlDoc doc(xmlReadMemory(xml.data(), static_cast<int>(xml.size()), what, nullptr,
                           XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING),
             &xmlFreeDoc);
  if (!doc) throw Error(ErrorCode::kInvalidInput, std::string("corrupt ") + what);
  return doc;
}

std::string local(const xmlNode* n) {
  return n->name ? reinterpret_cast<const char*>(n->name) : "";
}

std::string attr(const xmlNode* n, const char* name) {
  // w:val and friends: match the local name whatever the prefix.
  for (const xmlAttr* a = n->properties; a != nullptr; a = a->next) {
    if (a->name && std::string_view(reinterpret_cast<const char*>(a->name)) == name &&
        a->children && a->children->content) {
      return reinterpret_cast<const char*>(a->children->content);
    }
  }
  return {};
}

const xmlNode* child(const xmlNode* n, const char* name) {
  for (const xmlNode* c = n ? n->children : nullptr; c != nullptr; c = c->next) {
    if (c->type == XML_ELEMENT_NODE && local(c) == name) return c;
  }
  return nullptr;
}

std::string text_of(const xmlNode* n) {
  std::string out;
  for (const xmlNode* c = n->children; c != nullptr; c = c->next) {
    if (c->type == XML_TEXT_NODE && c->content) out += reinterpret_cast<const char*>(c->content);
  }
  return out;
}

// Heading level of each paragraph style: from its outline level, a name like "heading 2", or
// else the style it is based on, so a house style built on Heading 2 is a level-2 heading.
std::map<std::string, int> heading_styles(const std::string& styles_xml) {
  std::map<std::string, int> levels;
  if (styles_xml.empty()) return levels;
  const XmlDoc doc = parse_xml(styles_xml, "word/styles.xml");
  std::map<std::string, int> own;  // levels the styles set themselves (0: body text)
  std::map<std::string, std::string> based_on;
  for (const xmlNode* s = xmlDocGetRootElement(doc.get())->children; s != nullptr; s = s->next) {
    if (s->type != XML_ELEMENT_NODE || local(s) != "style") continue;
    const std::string id = attr(s, "styleId");
    std::string name;
    if (const xmlNode* n = child(s, "name")) name = attr(n, "val");
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (const xmlNode* b = child(s, "basedOn")) based_on[id] = attr(b, "val");
    if (const xmlNode* ppr = child(s, "pPr")) {
      if (const xmlNode* o = child(ppr, "outlineLvl")) {
        // Outline level 9 is Word's "body text".
        const int lvl = std::atoi(attr(o, "val").c_str());
        own[id] = lvl >= 0 && lvl < 9 ? lvl + 1 : 0;
      }
    }
    if (name.rfind("heading ", 0) == 0) own[id] = std::atoi(name.c_str() + 8);
    if (name == "title") own[id] = -1;  // the document title
  }
  for (const auto& [id, base] : based_on) {
    if (own.count(id)) continue;
    // Follow the chain; a cycle in a damaged file ends after a few steps.
    std::string at = base;
    for (int steps = 0; steps < 16 && !at.empty(); ++steps) {
      if (const auto it = own.find(at); it != own.end()) {
        own[id] = it->second;
        break;
      }
      const auto next = based_on.find(at);
      at = next == based_on.end() ? std::string() : next->second;
    }
  }
  for (const auto& [id, level] : own) {
    if (level != 0) levels[id] = std::clamp(level, -1, 6);
  }
  return levels;
}

void read_core(const std::string& core_xml, DocumentMeta& meta) {
  if (core_xml.empty()) return;
  const XmlDoc doc = parse_xml(core_xml, "docProps/core.xml");
  for (const xmlNode* n = xmlDocGetRootElement(doc.get())->children; n != nullptr; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    const std::string name = local(n), value(trim(text_of(n)));
    if (value.empty()) continue;
    if (name == "title")
      meta.title = value;
    else if (name == "creator")
      meta.issuer = value;
    else if (name == "language")
      meta.language = value.substr(0, value.find('-'));
    else if (name == "created" && value.size() >= 10) {
      try {
        meta.date = validate_date(value.substr(0, 10), "docProps/core.xml");
      } catch (const Error&) {
      }
    }
  }
}

// List formats from numbering.xml: numId/ilvl -> (format, text pattern like "%1." or "(%1)").
struct ListLevel {
  std::string format;  // decimal, lowerLetter, upperLetter, lowerRoman, upperRoman, bullet, ...
  std::string pattern;
  int start = 1;  // w:start: the first number of the level
};
using ListFormats = std::map<std::string, ListLevel>;

ListFormats list_formats(const std::string& numbering_xml) {
  ListFormats out;
  if (numbering_xml.empty()) return out;
  const XmlDoc doc = parse_xml(numbering_xml, "word/numbering.xml");
  std::map<std::string, std::map<std::string, ListLevel>> abstract;
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  for (const xmlNode* n = root->children; n != nullptr; n = n->next) {
    if (n->type != XML_ELEMENT_NODE || local(n) != "abstractNum") continue;
    for (const xmlNode* lvl = n->children; lvl != nullptr; lvl = lvl->next) {
      if (lvl->type != XML_ELEMENT_NODE || local(lvl) != "lvl") continue;
      ListLevel level;
      if (const xmlNode* f = child(lvl, "numFmt")) level.format = attr(f, "val");
      if (const xmlNode* t = child(lvl, "lvlText")) level.pattern = attr(t, "val");
      if (const xmlNode* st = child(lvl, "start")) level.start = std::atoi(attr(st, "val").c_str());
      abstract[attr(n, "abstractNumId")][attr(lvl, "ilvl")] = level;
    }
  }
  for (const xmlNode* n = root->children; n != nullptr; n = n->next) {
    if (n->type != XML_ELEMENT_NODE || local(n) != "num") continue;
    const xmlNode* a = child(n, "abstractNumId");
    if (!a) continue;
    for (const auto& [ilvl, level] : abstract[attr(a, "val")])
      out[attr(n, "numId") + "/" + ilvl] = level;
  }
  return out;
}

std::string list_label(const ListLevel& level, int number) {
  std::string value;
  if (level.format == "decimal" || level.format == "decimalZero") {
    value = std::to_string(number);
  } else if (level.format == "lowerLetter" || level.format == "upperLetter") {
    value = std::string(
        1, static_cast<char>((level.format == "lowerLetter" ? 'a' : 'A') + (number - 1) % 26));
  } else if (level.format == "lowerRoman" || level.format == "upperRoman") {
    static const char* kRoman[] = {"i",    "ii",  "iii",  "iv",    "v",   "vi",   "vii",
                                   "viii", "ix",  "x",    "xi",    "xii", "xiii", "xiv",
                                   "xv",   "xvi", "xvii", "xviii", "xix", "xx"};
    value = number >= 1 && number <= 20 ? kRoman[number - 1] : std::to_string(number);
    if (level.format == "upperRoman") {
      for (char& c : value) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
  } else {
    return {};  // bullets and unknown formats carry no number
  }
  std::string label = level.pattern.empty() ? "%1." : level.pattern;
  const std::size_t at = label.find('%');
  if (at == std::string::npos || at + 1 >= label.size()) return value + ".";
  label.replace(at, 2, value);
  // Multi-level patterns ("%1.%2.") keep only the innermost number here.
  while (label.find('%') != std::string::npos) label.erase(label.find('%'), 2);
  return label;
}

void read_paragraph(const xmlNode* p, std::string& out) {
  for (const xmlNode* c = p->children; c != nullptr; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    const std::string name = local(c);
    if (name == "t")
      out += text_of(c);
    else if (name == "tab" || name == "br" || name == "cr")
      out += ' ';
    else if (name == "del" || name == "instrText" || name == "delText")
      continue;  // deleted text, field codes
    else
      read_paragraph(c, out);  // runs, hyperlinks, insertions, smart tags
  }
}

void read_body(const xmlNode* node, const std::map<std::string, int>& styles,
               const ListFormats& lists, std::vector<Block>& blocks, DocumentMeta& meta,
               std::map<std::string, std::vector<int>>& list_counters) {
  for (const xmlNode* n = node; n != nullptr; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    const std::string name = local(n);
    if (name == "p") {
      std::string text;
      read_paragraph(n, text);
      if (trim(text).empty()) continue;
      int level = 0;
      bool list_item = false;
      std::string list_key, list_id;
      int list_level = 0;
      if (const xmlNode* ppr = child(n, "pPr")) {
        if (const xmlNode* style = child(ppr, "pStyle")) {
          const auto it = styles.find(attr(style, "val"));
          if (it != styles.end()) level = it->second;
        }
        if (const xmlNode* o = child(ppr, "outlineLvl"))
          level = std::atoi(attr(o, "val").c_str()) + 1;
        if (const xmlNode* num = child(ppr, "numPr")) {
          list_item = true;
          const xmlNode* id = child(num, "numId");
          const xmlNode* ilvl = child(num, "ilvl");
          list_id = id ? attr(id, "val") : "";
          list_level = std::clamp(ilvl ? std::atoi(attr(ilvl, "val").c_str()) : 0, 0, 8);
          list_key = list_id + "/" + std::to_string(list_level);
        }
      }
      if (level == -1) {
        if (meta.title.empty()) meta.title = collapse_spaces(text);
        continue;
      }
      if (list_item && level == 0) {
        // Word keeps list numbers out of the text; restore them so numbered items nest.
        // As in Word: a level counts from its w:start, and restarts whenever a shallower level
        // of the same list advances ("2." then "(a)", "(b)" again).
        const auto format = lists.find(list_key);
        auto& counters = list_counters[list_id];
        counters.resize(9, 0);
        const int start = format == lists.end() ? 1 : format->second.start;
        const int n_item = counters[list_level] == 0 ? start : counters[list_level] + 1;
        counters[list_level] = n_item;
        std::fill(counters.begin() + list_level + 1, counters.end(), 0);
        const std::string label =
            format == lists.end() ? std::string() : list_label(format->second, n_item);
        if (!label.empty() && !match_numbering(text)) text = label + " " + std::string(trim(text));
      }
      blocks.push_back(Block{std::min(level, 6), text, 0, 0, 0});
    } else if (name == "tbl") {
      for (const xmlNode* tr = n->children; tr != nullptr; tr = tr->next) {
        if (tr->type != XML_ELEMENT_NODE || local(tr) != "tr") continue;
        std::string row;
        for (const xmlNode* tc = tr->children; tc != nullptr; tc = tc->next) {
          if (tc->type != XML_ELEMENT_NODE || local(tc) != "tc") continue;
          std::string cell;
          for (const xmlNode* p = tc->children; p != nullptr; p = p->next) {
            if (p->type == XML_ELEMENT_NODE && local(p) == "p") {
              std::string t;
              read_paragraph(p, t);
              if (!trim(t).empty()) cell += (cell.empty() ? "" : " ") + t;
            }
          }
          if (!cell.empty()) row += (row.empty() ? "" : " | ") + cell;
        }
        if (!row.empty()) blocks.push_back(Block{0, row, 0, 0, 0});
      }
    } else if (name == "sdt" || name == "sdtContent" || name == "customXml" || name == "body") {
      read_body(n->children, styles, lists, blocks, meta, list_counters);
    }
  }
}

}  // namespace

Paper parse_docx(std::string_view bytes, const DocumentMeta& sidecar,
                 const IngestOptions& options) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (source == nullptr)
    throw Error(ErrorCode::kInvalidInput, "cannot read the file as a zip archive");
  std::unique_ptr<zip_t, ZipCloser> archive(
      zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error));
  if (!archive) {
    zip_source_free(source);
    const std::string why = zip_error_strerror(&error);
    zip_error_fini(&error);
    throw Error(ErrorCode::kInvalidInput,
                "not a Word document (not a valid zip archive: " + why + ")");
  }
  zip_error_fini(&error);
  if (zip_get_num_entries(archive.get(), 0) > 10000) {
    throw Error(ErrorCode::kInvalidInput, "refused: the archive has too many members");
  }
  zip_uint64_t budget = kMaxTotalBytes;
  const std::string document = read_part(archive.get(), "word/document.xml", true, budget);
  const std::string styles = read_part(archive.get(), "word/styles.xml", false, budget);
  const std::string core = read_part(archive.get(), "docProps/core.xml", false, budget);
  const std::string numbering = read_part(archive.get(), "word/numbering.xml", false, budget);
  Paper paper;
  paper.format = "docx";
  DocumentMeta meta;
  read_core(core, meta);
  const auto heading_levels = heading_styles(styles);
  const XmlDoc doc = parse_xml(document, "word/document.xml");
  std::vector<Block> blocks;
  std::map<std::string, std::vector<int>> counters;
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  if (const xmlNode* body = child(root, "body")) {
    read_body(body->children, heading_levels, list_formats(numbering), blocks, meta, counters);
  }
  assemble_blocks(blocks, paper, options);
  std::string all;
  for (const auto& p : paper.paragraphs) all += p.text + "\n";
  if (meta.language.empty()) meta.language = guess_language(all);
  merge_meta(meta, sidecar);
  paper.meta = std::move(meta);
  assign_paragraph_languages(paper);
  return paper;
}

}  // namespace concord::ingest
