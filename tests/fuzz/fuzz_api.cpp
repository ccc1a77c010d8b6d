// Fuzz target: HTTP request handling after the HTTP library has parsed the request: routing,
// parameter parsing and every handler, against a small index built on first use. Input:
// the first line is "METHOD PATH", the following lines are decoded "name=value" parameters.
#include "fuzz_target.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "concord/indexer.hpp"
#include "fuzz_index.hpp"
#include "server/api.hpp"

namespace {

concord::server::Api& api() {
  static std::unique_ptr<concord::server::Api> a = [] {
    concord::server::ApiOptions options;
    options.index = concord::IndexLocation::directory(concord::fuzz::build_index(
        {{"a.txt",
          "First paper\n\n1. Peace\n\nPeace and security in Africa.\n\n2. Trade\n\n"
          "Trade and development in Asia.\n"},
         {"b.txt", "Second paper\n\nPeace and security in Europe, and trade.\n"}}));
    return std::make_unique<concord::server::Api>(options);
  }();
  return *a;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  concord::server::Request request;
  bool first = true;
  for (const std::string& line :
       concord::fuzz::lines({reinterpret_cast<const char*>(data), size})) {
    if (first) {
      const std::size_t space = line.find(' ');
      request.method = line.substr(0, space);
      request.path = space == std::string::npos ? "/" : line.substr(space + 1);
      first = false;
    } else {
      const std::size_t eq = line.find('=');
      request.query.emplace_back(line.substr(0, eq),
                                 eq == std::string::npos ? "" : line.substr(eq + 1));
    }
  }
  const concord::server::Response response = api().handle(request);
  // Every answer is a valid HTTP status, and errors never leak internals.
  if (response.status < 200 || response.status > 599) __builtin_trap();
  if (response.status >= 500 && response.body.find("Xapian") != std::string::npos) __builtin_trap();
  return 0;
}
