// The HTTP API and web page of `concord serve`: one route table over the library. Internal
// to the server front end.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "concord/index.hpp"
#include "concord/search.hpp"
#include "http.hpp"

namespace concord::server {

struct ApiOptions {
  IndexLocation index;
  SearchLimits limits;
  std::size_t max_export_rows = 10000;  // /api/export stops here (and says so)
  std::size_t max_context = 20;         // paragraphs before/after in /api/paragraphs/{id}
};

// Thread-safe: each call checks out an index reader and searcher of its own, and reopens it
// to the latest commit, so answers follow re-indexing without a restart.
class Api {
 public:
  // Throws Error when the index cannot be opened.
  explicit Api(ApiOptions options);
  ~Api();

  Response handle(const Request& request);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// One CSV cell: quoted, and a cell a spreadsheet would read as a formula kept as text.
std::string csv_cell(std::string_view s);

// Security headers sent with every response (CSP, nosniff, frame denial, no referrer).
void add_security_headers(Response& response);

}  // namespace concord::server
