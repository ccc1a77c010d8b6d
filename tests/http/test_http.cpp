// `concord serve` on loopback, attacked the way browsers and bots will: the server keeps
// answering, refuses what it must, and its memory stays bounded.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "concord/indexer.hpp"
#include "http_client.hpp"
#include "test_support.hpp"

using namespace concord;
using nlohmann::json;

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif
#else
constexpr bool kAddressSanitizer = false;
#endif

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

// True when the server has closed the connection (EOF or reset pending), within `wait`.
bool closed_by_server(int fd, std::chrono::milliseconds wait) {
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(wait.count())) <= 0) return false;
  char buffer[4096];
  const ssize_t n = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
  return n <= 0 || (p.revents & (POLLHUP | POLLERR)) != 0;
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
  // From another address than the real request: one address may hold only 64 connections.
  std::vector<int> idle;
  for (int i = 0; i < 64; ++i) {
    const int fd = test::connect_local(served().port(), "127.0.0.2");
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

TEST_CASE("no URL reaches a file outside the binary's assets and the index", "[http][hostile]") {
  // Pages and assets are compiled into the binary, documents are looked up by id in the
  // index: no path in a URL is ever opened on disk.
  for (const std::string target :
       {"/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/app.js/../../etc/passwd",
        "/assets/..%2f..%2fetc%2fpasswd", "/api/documents/..%2f..%2f..%2fetc%2fpasswd",
        "/api/paragraphs/..%2fiamglass:1", "/api/documents/%00", "//etc/passwd",
        "/api/documents/%2fetc%2fpasswd"}) {
    INFO(target);
    const auto r = test::http_get(served().port(), target);
    CHECK(r.status >= 400);
    CHECK(r.status < 500);
    CHECK(r.body.find("root:x:0") == std::string::npos);
  }
}

TEST_CASE("serve keeps answering while another process re-indexes", "[http][concurrency]") {
  // Readers poll continuously while `concord index` commits updates and a --rebuild swaps in
  // a new index directory. Every answer must be a committed state: the total is the sample
  // paper plus a whole number of added papers, and the page agrees with the total.
  test::TempDir dir;
  const auto index = dir / "index";
  const auto docs = dir / "docs";
  test::write_file(docs / "sample.txt",
                   test::read_file(test::source_dir() / "sample_docs" /
                                   "global-security-initiative-concept-paper.txt"));
  REQUIRE(test::concord({"index", "--index", index.string(), docs.string()}).exit_code == 0);
  const auto base = json::parse(test::concord({"search", "--index", index.string(), "--json", "*",
                                               "--limit", "1"})
                                    .out)["total"]
                        .get<std::uint64_t>();
  test::ServerProcess server(index);
  constexpr std::uint64_t kPerPaper = 3;

  std::atomic<bool> stop{false};
  std::atomic<int> requests{0}, failures{0};
  std::atomic<std::uint64_t> highest{0};
  std::mutex mutex;
  std::vector<std::string> problems;
  const auto reader = [&] {
    while (!stop) {
      const auto r = test::http_get(server.port(), "/api/search?q=*&limit=5");
      ++requests;
      std::string problem;
      if (r.status != 200) {
        problem = "status " + std::to_string(r.status) + ": " + r.body.substr(0, 200);
      } else {
        const json j = json::parse(r.body);
        const auto total = j["total"].get<std::uint64_t>();
        std::uint64_t by_doc = 0;
        for (const auto& v : j["facets"]["doc"]) by_doc += v["count"].get<std::uint64_t>();
        if (total < base || (total - base) % kPerPaper != 0) {
          problem = "torn total " + std::to_string(total);
        } else if (j["results"].size() != std::min<std::uint64_t>(5, total)) {
          problem =
              "page of " + std::to_string(j["results"].size()) + " for " + std::to_string(total);
        } else if (by_doc != total) {
          problem =
              "doc facet sums to " + std::to_string(by_doc) + ", total " + std::to_string(total);
        }
        std::uint64_t seen = highest;
        while (total > seen && !highest.compare_exchange_weak(seen, total)) {
        }
      }
      if (!problem.empty()) {
        ++failures;
        std::lock_guard lock(mutex);
        problems.push_back(problem);
      }
    }
  };
  std::vector<std::thread> readers;
  for (int i = 0; i < 3; ++i) readers.emplace_back(reader);

  constexpr int kCommits = 6;
  for (int c = 1; c <= kCommits; ++c) {
    test::write_file(docs / ("added-" + std::to_string(c) + ".txt"),
                     "Added paper " + std::to_string(c) + "\n\nFirst zqxmarker" +
                         std::to_string(c) + " paragraph.\n\nSecond paragraph.\n\nThird one.\n");
    std::vector<std::string> args = {"index", "--index", index.string(), docs.string()};
    // First a rebuild over a fresh build: both are compacted databases at the same Xapian
    // revision, so only the directory identity tells a reader that it changed.
    if (c == 1 || c == 4) args.insert(args.begin() + 1, "--rebuild");
    const auto r = test::concord(args);
    REQUIRE(r.exit_code == 0);
    // The new paper is visible to the very next request after the commit.
    const auto hit =
        test::http_get(server.port(), "/api/search?q=zqxmarker" + std::to_string(c) + "&limit=1");
    REQUIRE(hit.status == 200);
    CHECK(json::parse(hit.body)["total"] == 1);
  }
  stop = true;
  for (auto& t : readers) t.join();
  INFO("requests: " << requests << ", first problems: "
                    << (problems.empty() ? std::string("none") : problems.front()));
  CHECK(failures == 0);
  CHECK(requests > 20);
  CHECK(highest == base + kCommits * kPerPaper);
}

TEST_CASE("520 trickling connections from one address do not shut out another", "[http][hostile]") {
  // The audit's slowloris: more connections than the server's total limit (512), each
  // trickling a header line, all from one client. A per-address limit keeps most of them out,
  // so other clients are still served.
  constexpr int kAttack = 520;
  std::vector<int> fds;
  for (int i = 0; i < kAttack; ++i) {
    const int fd = test::connect_local(served().port(), "127.0.0.2");
    REQUIRE(fd >= 0);
    const std::string partial = "GET /api/health HTTP/1.1\r\nHost: x\r\n";
    ::send(fd, partial.data(), partial.size(), MSG_NOSIGNAL);
    fds.push_back(fd);
  }
  std::atomic<bool> stop{false};
  std::thread trickle([&] {
    while (!stop) {
      for (const int fd : fds) ::send(fd, "X-a: b\r\n", 8, MSG_NOSIGNAL);
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  });
  int answered = 0;
  double slowest = 0;
  for (int i = 0; i < 7; ++i) {
    const auto started = std::chrono::steady_clock::now();
    const auto r = test::http_get(served().port(), "/api/health", std::chrono::seconds(3));
    slowest = std::max(
        slowest, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    if (r.status == 200) ++answered;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  int refused = 0;
  for (const int fd : fds) refused += closed_by_server(fd, std::chrono::milliseconds(0)) ? 1 : 0;
  stop = true;
  trickle.join();
  for (const int fd : fds) ::close(fd);
  std::cout << kAttack << " trickling connections from 127.0.0.2: " << refused
            << " refused; 127.0.0.1 answered " << answered << "/7, slowest " << slowest * 1000
            << " ms\n";
  CHECK(answered == 7);
  CHECK(slowest < 2.0);
  CHECK(refused >= kAttack - 64);
}

TEST_CASE("a connection that trickles its headers is closed at the header deadline",
          "[http][hostile]") {
  test::TempDir dir;
  IndexRunOptions options;
  options.index_dir = dir / "index";
  options.inputs = {test::seed_paper()};
  run_index(options);
  test::ServerProcess server(dir / "index", {"--header-timeout", "1.5"});
  const int fd = test::connect_local(server.port());
  REQUIRE(fd >= 0);
  const auto started = std::chrono::steady_clock::now();
  const std::string partial = "GET /api/health HTTP/1.1\r\nHost: x\r\n";
  ::send(fd, partial.data(), partial.size(), MSG_NOSIGNAL);
  // A header line every 300 ms resets the 10 s inactivity timeout for as long as it goes on.
  double closed_after = -1;
  while (std::chrono::steady_clock::now() - started < std::chrono::seconds(6)) {
    if (::send(fd, "X-a: b\r\n", 8, MSG_NOSIGNAL) <= 0 ||
        closed_by_server(fd, std::chrono::milliseconds(300))) {
      closed_after =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      break;
    }
  }
  ::close(fd);
  std::cout << "trickling connection closed after " << closed_after << " s (deadline 1.5 s)\n";
  CHECK(closed_after >= 1.4);
  CHECK(closed_after < 3.0);
  // A request sent whole is answered, also on a kept-alive connection after the deadline has
  // passed since the connection opened.
  const int keep = test::connect_local(server.port());
  REQUIRE(keep >= 0);
  const std::string get = "GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n";
  char buffer[8192];
  for (int i = 0; i < 2; ++i) {
    REQUIRE(::send(keep, get.data(), get.size(), MSG_NOSIGNAL) > 0);
    pollfd p{keep, POLLIN, 0};
    REQUIRE(::poll(&p, 1, 3000) == 1);
    const ssize_t n = ::recv(keep, buffer, sizeof buffer, 0);
    REQUIRE(n > 12);
    CHECK(std::string(buffer, 12) == "HTTP/1.1 200");
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  }
  ::close(keep);
}

TEST_CASE("a GET with Content-Length: 0 is answered", "[http]") {
  // Python's urllib sends this header with every GET.
  const auto r = test::http_raw(served().port(),
                                "GET /api/health HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
                                "Connection: close\r\n\r\n");
  CHECK(r.status == 200);
  const auto body = test::http_raw(served().port(),
                                   "GET /api/health HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
                                   "Connection: close\r\n\r\nabc");
  CHECK(body.status == 400);
}

TEST_CASE("too many query parameters are refused, never dropped", "[http][hostile]") {
  std::string many = "/api/search?q=a";
  for (int i = 0; i < 300; ++i) many += "&x" + std::to_string(i) + "=1";
  const auto r = test::http_get(served().port(), many + "&offset=abc");
  CHECK(r.status == 400);
  CHECK(json::parse(r.body)["error"]["code"] == "too_many_parameters");
  CHECK_THAT(json::parse(r.body)["error"]["message"].get<std::string>(), Catch::Contains("256"));
  // 255 of them and the bad offset: the offset is read and refused.
  std::string fewer = "/api/search?q=a";
  for (int i = 0; i < 254; ++i) fewer += "&x" + std::to_string(i) + "=1";
  const auto bad_offset = test::http_get(served().port(), fewer + "&offset=abc");
  CHECK(bad_offset.status == 400);
  CHECK_THAT(json::parse(bad_offset.body)["error"]["message"].get<std::string>(),
             Catch::Contains("offset"));
}

TEST_CASE("/api/search answers exactly what `concord search --json` prints", "[http][cli]") {
  // The same index through the real CLI binary and the running server, for requests that
  // exercise filters, exclusions, per_doc, every sort, paging and count=documents.
  struct Case {
    std::string query;
    std::vector<std::string> filters;
    std::vector<std::pair<std::string, std::string>> options;  // API name, CLI flag
    std::vector<std::string> cli_extra;
    std::string api_extra;
  };
  const std::vector<Case> cases = {
      {"\"ASEAN way\"", {}, {}, {}, ""},
      {"peace", {"region:Africa", "topic:peacekeeping"}, {}, {}, ""},
      {"security", {"-region:africa"}, {{"limit", "7"}, {"offset", "5"}}, {}, ""},
      {"security", {}, {{"per_doc", "2"}}, {}, ""},
      {"nuclear OR space", {}, {{"sort", "newest"}, {"limit", "15"}}, {}, ""},
      {"cooperation", {}, {{"sort", "document"}, {"offset", "10"}}, {}, ""},
      {"*", {"year:2023"}, {{"sort", "oldest"}}, {"--count-documents"}, "&count=documents"},
  };
  for (const auto& c : cases) {
    std::vector<std::string> args = {"search", "--index", (served().dir / "index").string(),
                                     "--json", c.query};
    std::string target = "/api/search?q=" + test::url_encode(c.query);
    for (const auto& f : c.filters) {
      args.push_back("--filter=" + f);  // "=" so that "-region:…" is not read as an option
      target += "&filter=" + test::url_encode(f);
    }
    for (const auto& [name, value] : c.options) {
      std::string flag = "--" + name;
      std::replace(flag.begin(), flag.end(), '_', '-');
      args.push_back(flag);
      args.push_back(value);
      target += "&" + name + "=" + value;
    }
    args.insert(args.end(), c.cli_extra.begin(), c.cli_extra.end());
    target += c.api_extra;
    INFO(target);
    const auto cli = test::concord(args);
    REQUIRE(cli.exit_code == 0);
    const auto api = test::http_get(served().port(), target);
    REQUIRE(api.status == 200);
    json from_cli = json::parse(cli.out), from_api = json::parse(api.body);
    from_cli.erase("took_ms");
    from_api.erase("took_ms");
    CHECK(from_cli["total"].get<int>() > 0);
    CHECK(from_api == from_cli);
  }
}

TEST_CASE("unread exports do not pile up in the server's memory", "[http][hostile]") {
  // 30 clients ask for a 6 MB export each and never read it. Exports are streamed a search
  // page at a time, so each holds about one page in the server, not the whole file (the
  // audit measured 134 -> 364 MB when each was built whole).
  test::TempDir dir;
  const std::vector<std::string> words = {"security", "cooperation", "maritime", "nuclear",
                                          "region",   "development", "peace",    "council",
                                          "dialogue", "trade",       "climate",  "energy"};
  std::uint32_t seed = 1;
  for (int d = 0; d < 8; ++d) {
    std::string text = "Generated Paper " + std::to_string(d) + "\n\n";
    for (int p = 0; p < 1000; ++p) {
      for (int w = 0; w < 70; ++w) {
        seed = seed * 1664525u + 1013904223u;
        text += words[(seed >> 16) % words.size()] + (w == 69 ? ".\n\n" : " ");
      }
    }
    test::write_file(dir / "docs" / ("paper-" + std::to_string(d) + ".txt"), text);
  }
  IndexRunOptions options;
  options.index_dir = dir / "index";
  options.inputs = {dir / "docs"};
  run_index(options);
  test::ServerProcess server(dir / "index");
  const std::string request = "GET /api/export?q=*&format=csv HTTP/1.0\r\n\r\n";
  const auto whole = test::http_raw(server.port(), request, std::chrono::seconds(30));
  REQUIRE(whole.status == 200);
  REQUIRE(whole.body.size() > (4u << 20));
  const long before = server.rss_kib();
  std::vector<int> fds;
  for (int i = 0; i < 30; ++i) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd >= 0);
    const int small = 4096;  // a small window, so the kernel does not take the file off us
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(server.port()));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
    fds.push_back(fd);
  }
  long peak = before;
  for (int i = 0; i < 20; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    peak = std::max(peak, server.rss_kib());
  }
  const auto during = test::http_get(server.port(), "/api/health", std::chrono::seconds(5));
  for (const int fd : fds) ::close(fd);
  std::cout << "30 unread exports of " << whole.body.size() / 1024 << " KiB: RSS " << before / 1024
            << " MB -> peak " << peak / 1024 << " MB\n";
  CHECK(during.status == 200);
  // AddressSanitizer's quarantine keeps freed memory resident, so under it RSS says nothing
  // about what the server holds on to.
  if (!kAddressSanitizer) CHECK(peak - before < 64 * 1024);
}
