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

}  // namespace

json hit(const SearchHit& h) {
  json out = {{"id", h.id},
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
  if (h.page > 0) out["page"] = h.page;
  if (!h.evidence.empty()) out["why"] = h.evidence;
  return out;
}

json search(const SearchResponse& r) {
  json results = json::array();
  for (const auto& h : r.results) results.push_back(hit(h));
  json facets = json::object();
  for (const auto& [name, values] : r.facets) facets[name] = facet_values(values);
  json facet_info = json::object();
  for (const auto& [name, info] : r.facet_info) {
    facet_info[name] = {{"count", info.documents ? "documents" : "paragraphs"},
                        {"values", info.values},
                        {"truncated", info.truncated}};
  }
  json filters = json::array();
  for (const auto& f : r.filters) {
    filters.push_back({{"field", f.field}, {"value", f.value}, {"exclude", f.exclude}});
  }
  return {{"query", r.query},
          {"total", r.total},
          {"offset", r.offset},
          {"limit", r.limit},
          {"results", results},
          {"facets", facets},
          {"facet_info", facet_info},
          {"filters", filters},
          {"warnings", r.warnings},
          {"took_ms", r.took_ms},
          {"total_documents", r.total_documents},
          {"partial", !r.unavailable_shards.empty()},
          {"unavailable_shards", r.unavailable_shards}};
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
    json j = {{"path", f.path}, {"status", to_string(f.status)}};
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

namespace {

const char* op_name(DiffOp::Kind k) {
  switch (k) {
    case DiffOp::Kind::kEqual:
      return "equal";
    case DiffOp::Kind::kDelete:
      return "delete";
    case DiffOp::Kind::kInsert:
      return "insert";
  }
  return "equal";
}

double share(std::size_t found, std::size_t total) {
  return total == 0 ? 0.0 : static_cast<double>(found) / static_cast<double>(total);
}

json compared_doc(const ComparableDoc& d) {
  json paragraphs = json::array();
  for (const auto& p : d.paragraphs) {
    json j = {{"paragraph", p.ordinal},
              {"section", p.section_path},
              {"section_number", p.section_number},
              {"text", p.text}};
    if (p.page > 0) j["page"] = p.page;
    paragraphs.push_back(std::move(j));
  }
  return {{"id", d.meta.id},
          {"title", d.meta.title},
          {"date", d.meta.date},
          {"issuer", d.meta.issuer},
          {"paragraphs", paragraphs}};
}

json shared_phrases(const std::vector<SharedPhrase>& list) {
  json out = json::array();
  for (const auto& s : list) out.push_back({{"text", s.text}, {"words", s.words}});
  return out;
}

}  // namespace

json comparison(const Comparison& c) {
  json pairs = json::array();
  for (const auto& p : c.pairs) {
    json diff = json::array();
    for (const auto& op : p.diff) diff.push_back({{"op", op_name(op.kind)}, {"text", op.text}});
    pairs.push_back({{"kind", p.kind()},
                     {"a", p.a},
                     {"b", p.b},
                     {"similarity", p.similarity},
                     {"a_words", p.a_words},
                     {"a_words_found", p.a_words_found},
                     {"diff", diff},
                     {"shared", shared_phrases(p.shared)}});
  }
  json sections = json::array();
  for (const auto& s : c.sections) {
    sections.push_back({{"number", s.number},
                        {"heading", s.heading},
                        {"words", s.words},
                        {"words_found", s.words_found},
                        {"share", share(s.words_found, s.words)}});
  }
  return {{"a", compared_doc(c.a)},
          {"b", compared_doc(c.b)},
          {"identical", c.identical},
          {"summary",
           {{"a_words", c.a_words},
            {"a_words_found", c.a_words_found},
            {"share", share(c.a_words_found, c.a_words)},
            {"pairs", c.pairs.size()},
            {"a_only", c.a_only.size()},
            {"b_only", c.b_only.size()}}},
          {"sections", sections},
          {"pairs", pairs},
          {"a_only", c.a_only},
          {"b_only", c.b_only},
          {"took_ms", c.took_ms}};
}

json similar(const SimilarResponse& r) {
  json results = json::array();
  for (const auto& h : r.results) {
    json j = hit(h.hit);
    j["shared_words"] = h.shared_words;
    j["longest"] = h.longest;
    j["share"] = h.share;
    j["phrases"] = shared_phrases(h.phrases);
    results.push_back(std::move(j));
  }
  json source = {{"id", r.source_id}, {"text", r.source_text}, {"words", r.source_words}};
  if (r.source) source["paragraph"] = hit(*r.source);
  return {{"source", source},
          {"candidates", r.candidates},
          {"probes", r.probes},
          {"guaranteed_run", r.guaranteed_run},
          {"results", results},
          {"partial", !r.unavailable_shards.empty()},
          {"unavailable_shards", r.unavailable_shards},
          {"took_ms", r.took_ms}};
}

json trace(const TraceResponse& r) {
  json docs = json::array();
  for (const auto& d : r.per_document)
    docs.push_back({{"value", d.value}, {"label", d.label}, {"count", d.count}});
  json timeline = json::array();
  for (const auto& y : r.timeline) {
    timeline.push_back(
        {{"year", y.year},
         {"paragraphs", y.paragraphs},
         {"documents", y.documents},
         {"corpus_paragraphs", y.corpus_paragraphs},
         {"per_10k", y.corpus_paragraphs == 0 ? 0.0
                                              : 1e4 * static_cast<double>(y.paragraphs) /
                                                    static_cast<double>(y.corpus_paragraphs)}});
  }
  json examples = json::array();
  for (const auto& e : r.examples) examples.push_back(hit(e));
  return {{"phrase", r.phrase},
          {"query", r.query},
          {"paragraphs", r.paragraphs},
          {"documents", r.documents},
          {"undated_paragraphs", r.undated_paragraphs},
          {"first", r.first ? hit(*r.first) : json()},
          {"latest", r.latest ? hit(*r.latest) : json()},
          {"timeline", timeline},
          {"per_document", docs},
          {"examples", examples},
          {"partial", !r.unavailable_shards.empty()},
          {"unavailable_shards", r.unavailable_shards},
          {"took_ms", r.took_ms}};
}

}  // namespace concord::json
