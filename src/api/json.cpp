// JSON mapping of the library's result types.
#include "concord/json.hpp"

namespace concord::json {

using json = nlohmann::ordered_json;

namespace {

json meta(const DocumentMeta& m) {
  json j = {{"id", m.id},       {"title", m.title},       {"issuer", m.issuer},   {"date", m.date},
            {"place", m.place}, {"language", m.language}, {"country", m.country}, {"type", m.type}};
  if (!m.extra.empty()) j["extra"] = m.extra;
  return j;
}

json sections(const std::vector<Section>& list) {
  json out = json::array();
  for (std::size_t i = 0; i < list.size(); ++i) {
    const Section& s = list[i];
    out.push_back({{"index", i},
                   {"number", s.number},
                   {"heading", s.heading},
                   {"level", s.level},
                   {"parent", s.parent},
                   {"first_paragraph", s.first_paragraph}});
  }
  return out;
}

json facet_values(const std::vector<FacetValue>& values) {
  json out = json::array();
  for (const auto& v : values) {
    json j = {{"value", v.value}, {"label", v.label}, {"count", v.count}, {"selected", v.selected}};
    if (!v.path.empty()) j["path"] = v.path;
    out.push_back(std::move(j));
  }
  return out;
}

const char* status_name(FileOutcome::Status s) {
  switch (s) {
    case FileOutcome::Status::kAdded:
      return "added";
    case FileOutcome::Status::kUpdated:
      return "updated";
    case FileOutcome::Status::kUnchanged:
      return "unchanged";
    case FileOutcome::Status::kRemoved:
      return "removed";
    case FileOutcome::Status::kFailed:
      return "failed";
  }
  return "failed";
}

}  // namespace

json search(const SearchResponse& r) {
  json results = json::array();
  for (const auto& h : r.results) {
    json hit = {{"id", h.id},
                {"score", h.score},
                {"doc",
                 {{"id", h.doc.id},
                  {"title", h.doc.title},
                  {"date", h.doc.date},
                  {"issuer", h.doc.issuer},
                  {"country", h.doc.country},
                  {"language", h.doc.language},
                  {"type", h.doc.type}}},
                {"section", h.section},
                {"section_number", h.section_number},
                {"paragraph", h.paragraph},
                {"snippet", h.snippet},
                {"text", h.text},
                {"topics", h.topics},
                {"regions", h.regions}};
    if (h.page > 0) hit["page"] = h.page;
    if (!h.evidence.empty()) hit["why"] = h.evidence;
    results.push_back(std::move(hit));
  }
  json facets = json::object();
  for (const auto& [name, values] : r.facets) facets[name] = facet_values(values);
  json filters = json::array();
  for (const auto& f : r.filters) {
    filters.push_back({{"field", f.field}, {"value", f.value}, {"exclude", f.exclude}});
  }
  return {{"query", r.query},     {"total", r.total},
          {"offset", r.offset},   {"limit", r.limit},
          {"results", results},   {"facets", facets},
          {"filters", filters},   {"warnings", r.warnings},
          {"took_ms", r.took_ms}, {"total_documents", r.total_documents}};
}

json document(const DocumentInfo& info, bool with_outline) {
  json j = meta(info.meta);
  j["paragraphs"] = info.paragraph_count;
  j["source"] = info.source_path;
  j["format"] = info.format;
  j["indexed_at"] = info.indexed_at;
  if (with_outline) j["sections"] = sections(info.sections);
  return j;
}

json paragraph(const ParagraphRecord& r) {
  const Paragraph& p = r.paragraph;
  json j = {{"id", r.id},
            {"doc_id", r.doc_id},
            {"paragraph", p.ordinal},
            {"section", p.section_path},
            {"section_number", p.section_number},
            {"section_index", p.section},
            {"begin", p.begin},
            {"end", p.end},
            {"is_heading", p.is_heading},
            {"text", p.text},
            {"topics", r.topics},
            {"regions", r.regions},
            {"why", r.evidence}};
  if (p.page > 0) j["page"] = p.page;
  if (!p.language.empty()) j["language"] = p.language;
  return j;
}

json index_report(const IndexReport& r) {
  json files = json::array();
  for (const auto& f : r.files) {
    json j = {{"path", f.path}, {"status", status_name(f.status)}};
    if (!f.doc_id.empty()) j["doc_id"] = f.doc_id;
    if (f.paragraphs > 0) j["paragraphs"] = f.paragraphs;
    if (!f.message.empty()) j["error"] = f.message;
    if (!f.warnings.empty()) j["warnings"] = f.warnings;
    files.push_back(std::move(j));
  }
  return {{"files", files},
          {"added", r.added},
          {"updated", r.updated},
          {"unchanged", r.unchanged},
          {"removed", r.removed},
          {"failed", r.failed},
          {"paragraphs_written", r.paragraphs_written},
          {"bytes_read", r.bytes_read},
          {"index", {{"paragraphs", r.index_paragraphs}, {"documents", r.index_documents}}},
          {"seconds", r.seconds},
          {"committed", r.committed}};
}

json paper(const Paper& p) {
  json paragraphs = json::array();
  for (const auto& para : p.paragraphs) {
    ParagraphRecord r;
    r.id = p.meta.id + ":" + std::to_string(para.ordinal);
    r.doc_id = p.meta.id;
    r.paragraph = para;
    paragraphs.push_back(paragraph(r));
  }
  return {{"meta", meta(p.meta)},     {"format", p.format},
          {"source", p.source_path},  {"sections", sections(p.sections)},
          {"paragraphs", paragraphs}, {"warnings", p.warnings}};
}

json error(const Error& e) {
  return {{"error", {{"code", std::string(to_string(e.code()))}, {"message", e.what()}}}};
}

std::string dump(const json& value, int indent) {
  return value.dump(indent, ' ', false, json::error_handler_t::replace);
}

}  // namespace concord::json
