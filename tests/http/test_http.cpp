// `concord serve` on loopback, attacked the way browsers and bots will: the server keeps
// answering, refuses what it must, and its memory stays bounded.
#include <catch2/catch.hpp>

#include <sys/socket.h>
#include <unistd.h>

#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "concord/indexer.hpp"
#include "http_client.hpp"
#include "test_support.hpp"

using namespace concord;
using nlohmann::json;

namespace {

struct Served {
  test::TempDir dir;
  std::unique_ptr<test::ServerProcess> server;
  Served() {
    IndexRunOptions options;
    options.index_dir = dir / "index";
    options.inputs = {test::source_dir() / "sample_docs"};
    run_index(options);
    server = std::make_unique<test::ServerProcess>(dir / "index");
  }
  [[nodiscard]] int port() const { return server->port(); }
};

Served& served() {
  static Served s;
  return s;
}

// Streams `total` bytes of `fill` after `head`, stopping early when the server closes.
std::size_t stream(int fd, const std::string& head, std::size_t total, char fill) {
  ::send(fd, head.data(), head.size(), MSG_NOSIGNAL);
  const std::string chunk(1 << 16, fill);
  std::size_t sent = 0;
  while (sent < total) {
    const ssize_t n = ::send(fd, chunk.data(), std::min(chunk.size(), total - sent), MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  return sent;
}

}  // namespace

TEST_CASE("serve answers search over HTTP on loopback", "[http]") {
  const auto r =
      test::http_get(served().port(), "/api/search?q=" + test::url_encode("\"ASEAN way\""));
  REQUIRE(r.status == 200);
  CHECK(json::parse(r.body)["results"][0]["id"] == "gsi-concept-paper:65");
  CHECK_THAT(r.headers.at("content-security-policy"), Catch::Contains("default-src 'none'"));
  const auto page = test::http_get(served().port(), "/");
  CHECK(page.status == 200);
  CHECK_THAT(page.headers.at("content-security-policy"), Catch::Contains("script-src 'self'"));
}

TEST_CASE("64 idle slowloris connections do not stop a real request", "[http][hostile]") {
  std::vector<int> idle;
  for (int i = 0; i < 64; ++i) {
    const int fd = test::connect_local(served().port());
    REQUIRE(fd >= 0);
    const std::string partial = "GET /api/search?q=peace HTTP/1.1\r\nHost: x\r\nX-Slow: ";
    ::send(fd, partial.data(), partial.size(), MSG_NOSIGNAL);
    idle.push_back(fd);
  }
  const auto started = std::chrono::steady_clock::now();
  const auto r = test::http_get(served().port(), "/api/search?q=security", std::chrono::seconds(5));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  for (const int fd : idle) ::close(fd);
  std::cout << "legitimate request answered in " << seconds * 1000
            << " ms beside 64 slow connections\n";
  CHECK(r.status == 200);
  CHECK(seconds < 2.0);
}

TEST_CASE("a 200 MB header line is refused and memory stays bounded", "[http][hostile]") {
  const long before = served().server->rss_kib();
  const int fd = test::connect_local(served().port());
  REQUIRE(fd >= 0);
  const std::size_t sent = stream(fd, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: ", 200u << 20, 'a');
  ::close(fd);
  const long after = served().server->rss_kib();
  std::cout << "200 MB header: server accepted " << sent / 1024 << " KiB before closing; RSS "
            << before << " KiB -> " << after << " KiB\n";
  CHECK(sent < (200u << 20));
  CHECK(after - before < 32 * 1024);
  CHECK(test::http_get(served().port(), "/api/health").status == 200);
}

TEST_CASE("a 300 MB chunked body to an unrouted path is refused with memory bounded",
          "[http][hostile]") {
  const long before = served().server->rss_kib();
  const int fd = test::connect_local(served().port());
  REQUIRE(fd >= 0);
  // Chunks of 64 KiB: "10000\r\n" + data + "\r\n".
  const std::string head =
      "POST /nowhere HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  ::send(fd, head.data(), head.size(), MSG_NOSIGNAL);
  const std::string chunk = "10000\r\n" + std::string(0x10000, 'b') + "\r\n";
  std::size_t sent = 0;
  while (sent < (300u << 20)) {
    const ssize_t n = ::send(fd, chunk.data(), chunk.size(), MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  ::close(fd);
  const long after = served().server->rss_kib();
  std::cout << "300 MB chunked body: sent " << sent / (1024 * 1024) << " MiB; RSS " << before
            << " KiB -> " << after << " KiB\n";
  CHECK(after - before < 32 * 1024);
  const auto r = test::http_raw(
      served().port(),
      "POST /nowhere HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
  CHECK(r.status == 405);
  CHECK(test::http_get(served().port(), "/api/health").status == 200);
}

TEST_CASE("oversized URLs, bad methods and spoofed headers", "[http][hostile]") {
  const auto long_url =
      test::http_get(served().port(), "/api/search?q=" + std::string(100000, 'a'));
  CHECK(long_url.status >= 400);
  CHECK(long_url.status < 500);
  const auto del = test::http_raw(
      served().port(),
      "DELETE /api/documents/gsi-concept-paper HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  CHECK(del.status == 405);
  // Override and forwarding headers mean nothing to the server.
  const auto spoofed =
      test::http_raw(served().port(),
                     "GET /api/health HTTP/1.1\r\nHost: x\r\nX-HTTP-Method-Override: "
                     "DELETE\r\nX-Original-URL: /admin\r\n"
                     "X-Rewrite-URL: /admin\r\nX-Forwarded-For: 10.0.0.1\r\nX-Forwarded-Host: "
                     "evil.example\r\nConnection: close\r\n\r\n");
  CHECK(spoofed.status == 200);
  CHECK(json::parse(spoofed.body)["status"] == "ok");
  const auto garbage = test::http_raw(served().port(), "\x16\x03\x01\x02\x00garbage\r\n\r\n",
                                      std::chrono::seconds(3));
  CHECK(garbage.status != 200);
  CHECK(test::http_get(served().port(), "/api/health").status == 200);
}

TEST_CASE("error responses carry a message and nothing internal", "[http][hostile]") {
  for (const std::string target :
       {"/api/search?q=%28%28%28", "/api/search?q=peace&limit=abc", "/api/paragraphs/x:1",
        "/api/documents/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/api/search?q=*&offset=20000"}) {
    INFO(target);
    const auto r = test::http_get(served().port(), target);
    CHECK(r.status >= 400);
    CHECK(r.status < 500);
    const json j = json::parse(r.body);
    CHECK(!j["error"]["message"].get<std::string>().empty());
    for (const char* leak : {"Xapian", "std::", "terminate", "what()", "root:x:0", "/usr/"}) {
      CHECK(r.body.find(leak) == std::string::npos);
    }
  }
}
