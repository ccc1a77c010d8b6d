// JSON with short keys: readable with xapian-delve, cheap enough for ten hits a query.
#include "records.hpp"

#include <nlohmann/json.hpp>

#include "concord/error.hpp"
#include "schema.hpp"

namespace concord::records {
namespace {

using nlohmann::json;

template <typename T>
T get_or(const json& j, const char* key, T fallback) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  return it->get<T>();
}

json meta_to_json(const DocumentMeta& m) {
  json j = json::object();
  const auto put = [&](const char* key, const std::string& value) {
    if (!value.empty()) j[key] = value;
  };
  put("id", m.id);
  put("title", m.title);
  put("issuer", m.issuer);
  put("date", m.date);
  put("place", m.place);
  put("language", m.language);
  put("country", m.country);
  put("type", m.type);
  if (!m.extra.empty()) j["extra"] = m.extra;
  return j;
}

DocumentMeta meta_from_json(const json& j) {
  DocumentMeta m;
  m.id = get_or<std::string>(j, "id", "");
  m.title = get_or<std::string>(j, "title", "");
  m.issuer = get_or<std::string>(j, "issuer", "");
  m.date = get_or<std::string>(j, "date", "");
  m.place = get_or<std::string>(j, "place", "");
  m.language = get_or<std::string>(j, "language", "");
  m.country = get_or<std::string>(j, "country", "");
  m.type = get_or<std::string>(j, "type", "");
  if (const auto it = j.find("extra"); it != j.end() && it->is_object()) {
    m.extra = it->get<std::map<std::string, std::string>>();
  }
  return m;
}

}  // namespace

std::string encode_document(const DocumentInfo& info) {
  json sections = json::array();
  for (const auto& s : info.sections) {
    sections.push_back({{"h", s.heading},
                        {"n", s.number},
                        {"l", s.level},
                        {"p", s.parent},
                        {"f", s.first_paragraph}});
  }
  json j = {{"meta", meta_to_json(info.meta)},
            {"sections", std::move(sections)},
            {"paragraphs", info.paragraph_count},
            {"source", info.source_path},
            {"format", info.format},
            {"fingerprint", info.fingerprint},
            {"indexed_at", info.indexed_at},
            {"facets", info.facet_values}};
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

DocumentInfo decode_document(std::string_view data) {
  try {
    const json j = json::parse(data);
    DocumentInfo info;
    info.meta = meta_from_json(j.at("meta"));
    for (const auto& s : j.at("sections")) {
      Section section;
      section.heading = s.at("h").get<std::string>();
      section.number = s.at("n").get<std::string>();
      section.level = s.at("l").get<int>();
      section.parent = s.at("p").get<int>();
      section.first_paragraph = s.at("f").get<std::uint32_t>();
      info.sections.push_back(std::move(section));
    }
    info.paragraph_count = get_or<std::uint32_t>(j, "paragraphs", 0);
    info.source_path = get_or<std::string>(j, "source", "");
    info.format = get_or<std::string>(j, "format", "");
    info.fingerprint = get_or<std::string>(j, "fingerprint", "");
    info.indexed_at = get_or<std::string>(j, "indexed_at", "");
    info.facet_values = get_or<std::map<std::string, std::string>>(j, "facets", {});
    return info;
  } catch (const json::exception& e) {
    throw Error(ErrorCode::kCorrupt, std::string("unreadable document record: ") + e.what());
  }
}

std::string encode_paragraph(std::string_view doc_id, const Paragraph& p,
                             const ParagraphTags* tags) {
  json j = {{"d", doc_id},    {"o", p.ordinal}, {"sp", p.section_path}, {"sn", p.section_number},
            {"s", p.section}, {"b", p.begin},   {"e", p.end},           {"t", p.text}};
  if (p.page > 0) j["pg"] = p.page;
  if (p.is_heading) j["h"] = true;
  if (!p.language.empty()) j["lg"] = p.language;
  if (tags != nullptr) {
    if (!tags->topics.empty()) j["tp"] = tags->topics;
    if (!tags->regions.empty()) j["rg"] = tags->regions;
    if (!tags->evidence.empty()) j["why"] = tags->evidence;
  }
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

ParagraphRecord decode_paragraph(std::string_view data) {
  try {
    const json j = json::parse(data);
    ParagraphRecord r;
    r.doc_id = j.at("d").get<std::string>();
    Paragraph& p = r.paragraph;
    p.ordinal = j.at("o").get<std::uint32_t>();
    p.section_path = j.at("sp").get<std::vector<std::string>>();
    p.section_number = j.at("sn").get<std::string>();
    p.section = get_or<int>(j, "s", -1);
    p.begin = j.at("b").get<std::uint64_t>();
    p.end = j.at("e").get<std::uint64_t>();
    p.text = j.at("t").get<std::string>();
    p.page = get_or<std::uint32_t>(j, "pg", 0);
    p.is_heading = get_or<bool>(j, "h", false);
    p.language = get_or<std::string>(j, "lg", "");
    r.topics = get_or<std::vector<std::string>>(j, "tp", {});
    r.regions = get_or<std::vector<std::string>>(j, "rg", {});
    if (const auto it = j.find("why"); it != j.end() && it->is_object()) {
      r.evidence = it->get<std::map<std::string, std::vector<std::string>>>();
    }
    r.id = schema::paragraph_id(r.doc_id, p.ordinal);
    return r;
  } catch (const json::exception& e) {
    throw Error(ErrorCode::kCorrupt, std::string("unreadable paragraph record: ") + e.what());
  }
}

}  // namespace concord::records
