// Plain request and response values, independent of the HTTP library, so that routing and
// handlers are tested (and fuzzed) without sockets. Internal to the server front end.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace concord::server {

struct Request {
  std::string method;  // "GET", "HEAD", ...
  std::string path;    // decoded path without the query string: "/api/search"
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order, repeats kept

  // The first value of a query parameter, or `fallback`.
  [[nodiscard]] std::string param(const std::string& name, const std::string& fallback = {}) const;
  [[nodiscard]] std::vector<std::string> params(const std::string& name) const;
  [[nodiscard]] bool has(const std::string& name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // A body too large to hold at once: when set, `body` is its first piece and each call
  // returns the next one, "" at the end (and ever after). It may throw; the transfer then
  // ends incomplete. Called on the server's thread, after the handler has returned.
  std::function<std::string()> stream;
};

}  // namespace concord::server
