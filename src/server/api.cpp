// Routes of the HTTP API and the embedded web page.
#include "api.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <limits>
#include <mutex>

#include "concord/compare.hpp"
#include "concord/error.hpp"
#include "concord/json.hpp"
#include "concord/text.hpp"

namespace concord::server {

namespace web {
extern const std::string_view kIndexHtml;
extern const std::string_view kAppJs;
extern const std::string_view kAppCss;
extern const std::string_view kOpenApi;
}  // namespace web

using Json = nlohmann::ordered_json;

std::string Request::param(const std::string& name, const std::string& fallback) const {
  for (const auto& [k, v] : query) {
    if (k == name) return v;
  }
  return fallback;
}

std::vector<std::string> Request::params(const std::string& name) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : query) {
    if (k == name) out.push_back(v);
  }
  return out;
}

bool Request::has(const std::string& name) const {
  return std::any_of(query.begin(), query.end(), [&](const auto& kv) { return kv.first == name; });
}

void add_security_headers(Response& response) {
  response.headers.emplace_back(
      "Content-Security-Policy",
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("X-Frame-Options", "DENY");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
  response.headers.emplace_back("Cache-Control", "no-store");
}

std::string csv_cell(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  // A cell starting with = + - @ (or a tab or carriage return, which some spreadsheets skip
  // before reading one of those) is a formula to a spreadsheet: OWASP's CSV injection advice
  // is to prefix a quote so it stays text.
  if (!s.empty() &&
      (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r'))
    out.insert(1, "'");
  return out + "\"";
}

namespace {

// HTTP status for each error code, one table. 5xx bodies never carry internal details.
int status_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kInvalidQuery:
    case ErrorCode::kLimitExceeded:
    case ErrorCode::kInvalidInput:
      return 400;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kBusy:
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kIo:
    case ErrorCode::kCorrupt:
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

Response json_response(int status, const Json& body) {
  Response r;
  r.status = status;
  r.body = concord::json::dump(body) + "\n";
  return r;
}

Response error_response(int status, std::string_view code, const std::string& message) {
  return json_response(status, {{"error", {{"code", code}, {"message", message}}}});
}

Response error_response(const Error& e) {
  const int status = status_for(e.code());
  const std::string message = status >= 500
                                  ? std::string("the server could not answer this request")
                                  : std::string(e.what());
  Response r = error_response(status, to_string(e.code()), message);
  if (const auto* q = dynamic_cast<const QuerySyntaxError*>(&e)) {
    Json body = Json::parse(r.body);
    body["error"]["column"] = q->column();
    r.body = concord::json::dump(body) + "\n";
  }
  return r;
}

std::size_t parse_count(const Request& req, const std::string& name, std::size_t fallback,
                        std::size_t max) {
  const std::string v = req.param(name);
  if (v.empty()) return fallback;
  std::size_t out = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || end != v.data() + v.size()) {
    throw Error(ErrorCode::kInvalidArgument, "'" + name + "' must be a non-negative whole number");
  }
  if (out > max) {
    throw Error(ErrorCode::kLimitExceeded, "'" + name + "' must be at most " + std::to_string(max));
  }
  return out;
}

SortOrder parse_sort(const std::string& s) {
  if (s.empty() || s == "relevance") return SortOrder::kRelevance;
  if (s == "newest") return SortOrder::kDateNewest;
  if (s == "oldest") return SortOrder::kDateOldest;
  if (s == "document") return SortOrder::kDocumentOrder;
  throw Error(ErrorCode::kInvalidArgument, "sort must be relevance, newest, oldest or document");
}

SearchRequest search_request(const Request& req, const SearchLimits& limits) {
  SearchRequest r;
  r.query = req.param("q");
  for (const auto& f : req.params("filter")) r.filters.push_back(parse_filter(f));
  r.offset = parse_count(req, "offset", 0, limits.max_window);
  r.limit = parse_count(req, "limit", 10, limits.max_limit);
  r.per_doc = parse_count(req, "per_doc", 0, 1000);
  r.sort = parse_sort(req.param("sort"));
  r.snippet_bytes = parse_count(req, "snippet", r.snippet_bytes, 4096);
  const std::string count = req.param("count", "paragraphs");
  if (count != "paragraphs" && count != "documents") {
    throw Error(ErrorCode::kInvalidArgument, "count must be paragraphs or documents");
  }
  r.facets.count_documents = count == "documents";
  r.require_complete = req.param("complete", "false") == "true";
  // facets=true|false, or the facets to count: facets=region,topic:documents
  const std::string facets = req.param("facets", "true");
  r.facets.enabled = facets != "false";
  if (facets != "true" && facets != "false") {
    std::size_t start = 0;
    while (start <= facets.size()) {
      const std::size_t comma = std::min(facets.find(',', start), facets.size());
      if (comma > start) r.facets.fields.push_back(facets.substr(start, comma - start));
      start = comma + 1;
    }
  }
  return r;
}

// Document ids are slugs; anything else cannot name a document (and never reaches a file).
bool valid_id(std::string_view id) {
  if (id.empty() || id.size() > 240) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == ':';
  });
}

std::string joined(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

// A paper's JSON for the API: the CLI shows where a paper was read from, but over HTTP the
// server's directory layout is nobody's business, so only the file name is given.
Json public_document(const DocumentInfo& doc, bool with_outline) {
  Json j = concord::json::document(doc, with_outline);
  j["source"] = std::filesystem::path(doc.source_path).filename().string();
  return j;
}

Response asset(std::string_view body, const char* type) {
  Response r;
  r.content_type = type;
  r.body = std::string(body);
  return r;
}

}  // namespace

// Readers are not thread-safe; a small pool gives each concurrent request its own.
struct Api::Impl {
  struct Session {
    IndexReader reader;
    Searcher searcher;
    explicit Session(const ApiOptions& o)
        : reader(IndexReader::open(o.index)), searcher(reader, o.limits) {
      reader.keep_facets_in_memory(true);
    }
  };

  explicit Impl(ApiOptions o) : options(std::move(o)) {
    release(std::make_unique<Session>(options));
  }

  std::unique_ptr<Session> acquire() {
    std::unique_ptr<Session> s;
    {
      std::lock_guard lock(mutex);
      if (!idle.empty()) {
        s = std::move(idle.back());
        idle.pop_back();
      }
    }
    if (!s) s = std::make_unique<Session>(options);
    s->reader.reopen();  // follow commits made by an indexing process
    return s;
  }
  void release(std::unique_ptr<Session> s) {
    std::lock_guard lock(mutex);
    idle.push_back(std::move(s));
  }

  // A session checked out of the pool for the lifetime of the lease.
  class Lease {
   public:
    explicit Lease(Impl& impl) : impl_(impl), session_(impl.acquire()) {}
    ~Lease() { impl_.release(std::move(session_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Session& session() { return *session_; }

   private:
    Impl& impl_;
    std::unique_ptr<Session> session_;
  };
  struct ExportStream;

  Response route(const Request& req, Session& s);
  Response search(const Request& req, Session& s);
  Response export_results(const Request& req, Session& s);
  Response document(const std::string& id, Session& s);
  Response compare(const Request& req, Session& s);
  Response similar(const Request& req, Session& s);
  Response trace(const Request& req, Session& s);
  Response document_paragraphs(const std::string& id, const Request& req, Session& s);
  Response paragraph(const std::string& id, const Request& req, Session& s);

  ApiOptions options;
  std::mutex mutex;
  std::vector<std::unique_ptr<Session>> idle;
};

Api::Api(ApiOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
Api::~Api() = default;

Response Api::handle(const Request& request) {
  Response response;
  if (request.method != "GET" && request.method != "HEAD") {
    response = error_response(405, "method_not_allowed", "only GET and HEAD are supported");
    response.headers.emplace_back("Allow", "GET, HEAD");
  } else if (request.path == "/" || request.path == "/index.html") {
    response = asset(web::kIndexHtml, "text/html; charset=utf-8");
  } else if (request.path == "/app.js") {
    response = asset(web::kAppJs, "text/javascript; charset=utf-8");
  } else if (request.path == "/app.css") {
    response = asset(web::kAppCss, "text/css; charset=utf-8");
  } else if (request.path == "/api/openapi.json") {
    response = asset(web::kOpenApi, "application/json; charset=utf-8");
  } else if (request.path.rfind("/api/", 0) != 0) {
    response = error_response(404, "not_found", "no page at this address");
  } else {
    std::unique_ptr<Impl::Session> session;
    try {
      session = impl_->acquire();
      response = impl_->route(request, *session);
    } catch (const Error& e) {
      response = error_response(e);
    } catch (const std::exception&) {
      response = error_response(500, "internal", "the server could not answer this request");
    }
    if (session) impl_->release(std::move(session));
  }
  add_security_headers(response);
  if (request.method == "HEAD") {
    response.body.clear();
    response.stream = nullptr;
  }
  return response;
}

Response Api::Impl::route(const Request& req, Session& s) {
  const std::string& p = req.path;
  if (p == "/api/search") return search(req, s);
  if (p == "/api/export") return export_results(req, s);
  if (p == "/api/compare") return compare(req, s);
  if (p == "/api/similar") return similar(req, s);
  if (p == "/api/trace") return trace(req, s);
  if (p == "/api/health") {
    return json_response(200, {{"status", "ok"},
                               {"documents", s.reader.document_count()},
                               {"paragraphs", s.reader.paragraph_count()},
                               {"shards", s.reader.location().shards.size()}});
  }
  if (p == "/api/documents") {
    Json list = Json::array();
    for (const auto& [id, doc] : *s.reader.document_table())
      list.push_back(public_document(doc, false));
    return json_response(200, {{"documents", list}, {"total", list.size()}});
  }
  constexpr std::string_view kDocuments = "/api/documents/";
  constexpr std::string_view kParagraphs = "/api/paragraphs/";
  if (p.rfind(kDocuments, 0) == 0) {
    const std::string rest = p.substr(kDocuments.size());
    constexpr std::string_view kTail = "/paragraphs";
    if (rest.size() > kTail.size() &&
        rest.compare(rest.size() - kTail.size(), kTail.size(), kTail) == 0) {
      return document_paragraphs(rest.substr(0, rest.size() - kTail.size()), req, s);
    }
    return document(rest, s);
  }
  if (p.rfind(kParagraphs, 0) == 0) return paragraph(p.substr(kParagraphs.size()), req, s);
  return error_response(404, "not_found", "no API endpoint at " + std::string(utf8_prefix(p, 200)));
}

Response Api::Impl::search(const Request& req, Session& s) {
  const SearchRequest request = search_request(req, options.limits);
  return json_response(200, concord::json::search(s.searcher.search(request)));
}

// An export in pieces of one search page each, so that a client that reads slowly (or not
// at all) holds one page of rows in the server's memory, not the whole file. Each piece runs
// on a session of its own from the pool; if the index changed between two pieces (a commit
// in between), the rows would no longer be one result set, so the download fails instead.
struct Api::Impl::ExportStream {
  Impl& impl;
  bool json = false;
  SearchRequest request;   // its offset advances page by page
  std::size_t cap = 0;     // rows the server exports at most
  std::size_t asked = 0;   // rows the client asked for (no `limit`: all)
  std::size_t wanted = 0;  // min(asked, cap)
  std::size_t rows = 0;
  std::uint64_t total = 0;
  bool started = false, finished = false;
  std::vector<std::string> warnings;

  ExportStream(Impl& i, bool as_json, SearchRequest r, std::size_t asked_rows)
      : impl(i), json(as_json), request(std::move(r)), asked(asked_rows) {
    cap = std::min(impl.options.max_export_rows, impl.options.limits.max_window);
    wanted = std::min(asked, cap);
  }

  // Rows left out by the cap (a client's own limit is not truncation).
  [[nodiscard]] bool truncated() const {
    return rows >= cap && std::min<std::uint64_t>(total, asked) > rows;
  }
  // The same, known from the first page alone when every page is full (no per_doc).
  [[nodiscard]] bool will_truncate() const { return std::min<std::uint64_t>(total, asked) > cap; }

  // The next piece of the body; "" once all of it is out.
  std::string next(Session& s) {
    if (finished) return {};
    SearchResponse page;
    request.limit = std::min(impl.options.limits.max_limit, wanted - rows);
    const bool more =
        rows < wanted && request.offset + request.limit <= impl.options.limits.max_window;
    if (more) {
      page = s.searcher.search(request);
      if (started && page.total != total) {
        throw Error(ErrorCode::kBusy, "the index changed during the export");
      }
      total = page.total;
      if (!started) warnings = page.warnings;
    }
    std::string out;
    if (!started) {
      out = json ? json_envelope().first
                 : "id,doc_id,title,date,issuer,country,section_number,section,paragraph,page,"
                   "score,topics,regions,text\r\n";
      started = true;
    }
    for (const auto& h : page.results) {
      if (json) {
        if (rows > 0) out += ',';
        out += concord::json::dump(concord::json::hit(h));
      } else {
        out += csv_row(h);
      }
      ++rows;
    }
    request.offset += page.results.size();
    if (!more || page.results.empty() || request.offset >= page.total || rows >= wanted) {
      finished = true;
      // Said in the body too, not only in a header: a spreadsheet user never sees headers.
      if (truncated()) {
        warnings.push_back("the export holds the first " + std::to_string(rows) + " of " +
                           std::to_string(total) +
                           " results; narrow the search (filters, a year range) to export the "
                           "rest");
      }
      if (json) out += json_envelope().second;
    }
    return out;
  }

  // The JSON of /api/search around its results: what comes before the first row and after
  // the last. `limit` is the rows asked for, as in a search.
  [[nodiscard]] std::pair<std::string, std::string> json_envelope() const {
    SearchResponse all;
    all.query = request.query;
    all.total = total;
    all.limit = wanted;
    all.filters = request.filters;
    all.warnings = warnings;
    Json body = concord::json::search(all);
    body["truncated"] = finished && truncated();
    const std::string text = concord::json::dump(body) + "\n";
    constexpr std::string_view kResults = "\"results\":[";
    const std::size_t at = text.find(kResults) + kResults.size();
    return {text.substr(0, at), text.substr(at)};
  }

  static std::string csv_row(const SearchHit& h) {
    return csv_cell(h.id) + "," + csv_cell(h.doc.id) + "," + csv_cell(h.doc.title) + "," +
           csv_cell(h.doc.date) + "," + csv_cell(h.doc.issuer) + "," + csv_cell(h.doc.country) +
           "," + csv_cell(h.section_number) + "," + csv_cell(joined(h.section, " \xE2\x80\xBA ")) +
           "," + std::to_string(h.paragraph) + "," + (h.page > 0 ? std::to_string(h.page) : "") +
           "," + std::to_string(h.score) + "," + csv_cell(joined(h.topics, "; ")) + "," +
           csv_cell(joined(h.regions, "; ")) + "," + csv_cell(h.text) + "\r\n";
  }
};

Response Api::Impl::export_results(const Request& req, Session& s) {
  const std::string format = req.param("format", "csv");
  if (format != "csv" && format != "json")
    throw Error(ErrorCode::kInvalidArgument, "format must be csv or json");
  SearchRequest request = search_request(req, options.limits);
  request.offset = 0;
  request.facets.enabled = false;
  const std::size_t asked =
      req.has("limit") ? request.limit : std::numeric_limits<std::size_t>::max();
  // per_doc collapses pages to an unknown number of rows, so whether the cap cuts the set is
  // known only at the end: such an export is built whole before it is sent.
  const bool whole = request.per_doc > 0;
  auto stream = std::make_shared<ExportStream>(*this, format == "json", request, asked);
  std::string body = stream->next(s);
  while (whole && !stream->finished) body += stream->next(s);

  Response r;
  if (format == "csv") r.content_type = "text/csv; charset=utf-8";
  const std::string name = "concord-export." + format;
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + name + "\"");
  r.headers.emplace_back("X-Total-Count", std::to_string(stream->total));
  const bool truncated = stream->finished ? stream->truncated() : stream->will_truncate();
  r.headers.emplace_back("X-Export-Truncated", truncated ? "true" : "false");
  r.body = std::move(body);
  if (!stream->finished) {
    r.stream = [this, stream] {
      Lease lease(*this);
      return stream->next(lease.session());
    };
  }
  return r;
}

Response Api::Impl::document(const std::string& id, Session& s) {
  if (!valid_id(id)) return error_response(404, "not_found", "no document with this id");
  const auto doc = s.reader.document(id);
  if (!doc) return error_response(404, "not_found", "no document with id '" + id + "'");
  return json_response(200, public_document(*doc, true));
}

Response Api::Impl::compare(const Request& req, Session& s) {
  const std::string a = req.param("a"), b = req.param("b");
  if (a.empty() || b.empty())
    throw Error(ErrorCode::kInvalidArgument, "compare needs two document ids: a and b");
  for (const auto& id : {a, b}) {
    if (!valid_id(id)) throw Error(ErrorCode::kNotFound, "no document with this id");
  }
  CompareOptions o;
  o.min_shared_words = parse_count(req, "min_words", 5, 100);
  if (o.min_shared_words < 2)
    throw Error(ErrorCode::kInvalidArgument, "min_words must be at least 2");
  // Ids only: the API never reads files named by a request.
  const ComparableDoc left = load_comparable(a, &s.reader, false);
  const ComparableDoc right = load_comparable(b, &s.reader, false);
  return json_response(200, concord::json::comparison(compare_papers(left, right, o)));
}

Response Api::Impl::similar(const Request& req, Session& s) {
  SimilarRequest r;
  r.paragraph_id = req.param("paragraph");
  r.text = req.param("text");
  if (r.paragraph_id.empty() == r.text.empty()) {
    throw Error(ErrorCode::kInvalidArgument, "similar needs either paragraph (an id) or text");
  }
  if (!r.paragraph_id.empty() && !valid_id(r.paragraph_id))
    throw Error(ErrorCode::kNotFound, "no paragraph with this id");
  r.limit = parse_count(req, "limit", 10, options.limits.max_limit);
  r.min_shared_words = parse_count(req, "min_words", 5, 100);
  r.same_document = req.param("same_document", "false") == "true";
  for (const auto& f : req.params("filter")) r.filters.push_back(parse_filter(f));
  ReuseFinder finder(s.reader);
  return json_response(200, concord::json::similar(finder.find(r)));
}

Response Api::Impl::trace(const Request& req, Session& s) {
  TraceRequest r;
  r.phrase = req.param("phrase");
  if (r.phrase.size() > options.limits.max_query_bytes)
    throw Error(ErrorCode::kLimitExceeded, "the phrase is too long");
  r.slack = parse_count(req, "variation", 0, 10);
  r.examples = parse_count(req, "examples", 10, 200);
  for (const auto& f : req.params("filter")) r.filters.push_back(parse_filter(f));
  return json_response(200, concord::json::trace(trace_phrase(s.reader, r)));
}

Response Api::Impl::document_paragraphs(const std::string& id, const Request& req, Session& s) {
  if (!valid_id(id) || id.find(':') != std::string::npos) {
    return error_response(404, "not_found", "no document with this id");
  }
  const auto doc = s.reader.document(id);
  if (!doc) return error_response(404, "not_found", "no document with id '" + id + "'");
  constexpr std::size_t kMaxPage = 500;
  const std::size_t from = std::max<std::size_t>(1, parse_count(req, "from", 1, 1u << 30));
  const std::size_t to = parse_count(req, "to", from + kMaxPage - 1, 1u << 30);
  if (to < from) throw Error(ErrorCode::kInvalidArgument, "'to' must not be below 'from'");
  if (to - from + 1 > kMaxPage) {
    throw Error(ErrorCode::kLimitExceeded,
                "at most " + std::to_string(kMaxPage) + " paragraphs per request");
  }
  Json list = Json::array();
  for (const auto& r :
       s.reader.paragraphs(id, static_cast<std::uint32_t>(from), static_cast<std::uint32_t>(to))) {
    list.push_back(concord::json::paragraph(r));
  }
  return json_response(200, {{"document", id},
                             {"from", from},
                             {"to", to},
                             {"total", doc->paragraph_count},
                             {"paragraphs", list}});
}

Response Api::Impl::paragraph(const std::string& id, const Request& req, Session& s) {
  if (!valid_id(id)) return error_response(404, "not_found", "no paragraph with this id");
  const auto record = s.reader.paragraph(id);
  if (!record) return error_response(404, "not_found", "no paragraph with id '" + id + "'");
  const std::size_t context = parse_count(req, "context", 2, options.max_context);
  const std::uint32_t ordinal = record->paragraph.ordinal;
  const std::uint32_t first = ordinal > context ? ordinal - static_cast<std::uint32_t>(context) : 1;
  const std::uint32_t last = ordinal + static_cast<std::uint32_t>(context);
  Json before = Json::array(), after = Json::array();
  for (const auto& r : s.reader.paragraphs(record->doc_id, first, last)) {
    if (r.paragraph.ordinal < ordinal) before.push_back(concord::json::paragraph(r));
    if (r.paragraph.ordinal > ordinal) after.push_back(concord::json::paragraph(r));
  }
  Json body = {
      {"paragraph", concord::json::paragraph(*record)}, {"before", before}, {"after", after}};
  if (const auto doc = s.reader.document(record->doc_id))
    body["document"] = public_document(*doc, false);
  return json_response(200, body);
}

}  // namespace concord::server
