// The JSON forms of Concord's answers, shared by `--json` on the command line and the HTTP
// API so that both always speak the same schema. Keys are stable: later versions add keys,
// never rename or remove them.
#pragma once

#include <nlohmann/json.hpp>

#include "concord/compare.hpp"
#include "concord/error.hpp"
#include "concord/index.hpp"
#include "concord/indexer.hpp"
#include "concord/paper.hpp"
#include "concord/search.hpp"

namespace concord::json {

nlohmann::ordered_json search(const SearchResponse& response);
nlohmann::ordered_json document(const DocumentInfo& info, bool with_outline);
nlohmann::ordered_json paragraph(const ParagraphRecord& record);
nlohmann::ordered_json index_report(const IndexReport& report);
nlohmann::ordered_json paper(const Paper& paper);  // a parsed file, before indexing
nlohmann::ordered_json error(const Error& error);
nlohmann::ordered_json hit(const SearchHit& hit);
nlohmann::ordered_json comparison(const Comparison& comparison);
nlohmann::ordered_json similar(const SimilarResponse& response);
nlohmann::ordered_json trace(const TraceResponse& response);

// Dumps with invalid UTF-8 replaced rather than throwing (text is repaired at ingestion, but
// a response must never fail to serialise).
std::string dump(const nlohmann::ordered_json& value, int indent = -1);

}  // namespace concord::json
