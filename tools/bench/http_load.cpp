// concord-http-load: a small HTTP load generator for `concord serve`, for latency and
// throughput figures (it is a benchmark tool, not a test: it checks nothing about time).
//
//   concord-http-load --port 8080 [--clients 64] [--seconds 60] [--requests N] [--json]
//                     [--targets FILE]   (one request target per line, e.g. /api/search?q=peace)
//
// Each client thread keeps one keep-alive connection and sends the targets round-robin,
// starting at a different offset. Prints the number of requests, errors (non-2xx or broken
// connections), throughput, and latency p50/p95/p99/max.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  int port = 8080;
  int clients = 8;
  double seconds = 10;
  long requests = 0;  // per client; 0 = time-bound
  bool json = false;
  std::string targets_file;
};

// The default mix: terms, phrases, boolean queries, facet-heavy browsing and filters.
const std::vector<std::string> kDefaultTargets = {
    "/api/search?q=peace",
    "/api/search?q=security&filter=region%3Aafrica",
    "/api/search?q=%22nuclear+weapons%22",
    "/api/search?q=climate+AND+development",
    "/api/search?q=terrorism+OR+extremism&filter=topic%3Acounter-terrorism",
    "/api/search?q=*&filter=region%3Asahel",
    "/api/search?q=sovereignty&sort=newest&limit=20",
    "/api/search?q=%22indivisible+security%22&count=documents",
    "/api/search?q=sanction*",
    "/api/search?q=human+rights&filter=year%3A2023&filter=region%3Aeurope",
    "/api/search?q=maritime+NEAR%2F5+security",
    "/api/search?q=development&offset=20&limit=10",
};

int connect_to(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    if (fd >= 0) ::close(fd);
    return -1;
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

// Sends one request on a keep-alive connection and reads one response; returns the status
// (0 on a broken connection).
int exchange(int fd, const std::string& target) {
  const std::string request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(request.size()))
    return 0;
  std::string raw;
  char buffer[65536];
  std::size_t need = std::string::npos;
  while (true) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 30000) <= 0) return 0;
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) return 0;
    raw.append(buffer, static_cast<std::size_t>(n));
    const std::size_t head = raw.find("\r\n\r\n");
    if (head == std::string::npos) continue;
    if (need == std::string::npos) {
      const char* cl = strcasestr(raw.c_str(), "\r\ncontent-length:");
      if (cl == nullptr || cl > raw.c_str() + head) return 0;
      need = head + 4 + std::strtoul(cl + 17, nullptr, 10);
    }
    if (raw.size() >= need) break;
  }
  return std::atoi(raw.c_str() + 9);
}

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  const std::size_t k =
      std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--port")
      o.port = std::atoi(next().c_str());
    else if (a == "--clients")
      o.clients = std::max(1, std::atoi(next().c_str()));
    else if (a == "--seconds")
      o.seconds = std::atof(next().c_str());
    else if (a == "--requests")
      o.requests = std::atol(next().c_str());
    else if (a == "--targets")
      o.targets_file = next();
    else if (a == "--json")
      o.json = true;
    else {
      std::fprintf(stderr,
                   "usage: %s --port N [--clients N] [--seconds S] [--requests N] [--targets FILE] "
                   "[--json]\n",
                   argv[0]);
      return 2;
    }
  }
  std::vector<std::string> targets = kDefaultTargets;
  if (!o.targets_file.empty()) {
    targets.clear();
    std::ifstream in(o.targets_file);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty() && line[0] == '/') targets.push_back(line);
    }
  }
  std::mutex mutex;
  std::vector<double> latencies_ms;
  std::atomic<long> errors{0};
  const auto started = Clock::now();
  const auto deadline = started + std::chrono::duration<double>(o.seconds);
  std::vector<std::thread> threads;
  for (int c = 0; c < o.clients; ++c) {
    threads.emplace_back([&, c] {
      std::vector<double> mine;
      int fd = connect_to(o.port);
      for (long n = 0;; ++n) {
        if (o.requests > 0 ? n >= o.requests : Clock::now() >= deadline) break;
        if (fd < 0) fd = connect_to(o.port);
        if (fd < 0) {
          ++errors;
          std::this_thread::sleep_for(std::chrono::milliseconds(10));
          continue;
        }
        const std::string& target = targets[static_cast<std::size_t>(c + n) % targets.size()];
        const auto t0 = Clock::now();
        const int status = exchange(fd, target);
        mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        if (status < 200 || status >= 300) {
          ++errors;
          ::close(fd);
          fd = -1;
        }
      }
      if (fd >= 0) ::close(fd);
      std::lock_guard lock(mutex);
      latencies_ms.insert(latencies_ms.end(), mine.begin(), mine.end());
    });
  }
  for (auto& t : threads) t.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
  const std::size_t count = latencies_ms.size();
  const double p50 = percentile(latencies_ms, 0.50), p95 = percentile(latencies_ms, 0.95),
               p99 = percentile(latencies_ms, 0.99);
  const double max =
      latencies_ms.empty() ? 0 : *std::max_element(latencies_ms.begin(), latencies_ms.end());
  if (o.json) {
    std::printf(
        "{\"clients\": %d, \"seconds\": %.2f, \"requests\": %zu, \"errors\": %ld, "
        "\"throughput_rps\": %.1f, "
        "\"latency_ms\": {\"p50\": %.3f, \"p95\": %.3f, \"p99\": %.3f, \"max\": %.3f}}\n",
        o.clients, elapsed, count, errors.load(), static_cast<double>(count) / elapsed, p50, p95,
        p99, max);
  } else {
    std::printf("clients %d, %.1f s: %zu requests, %ld errors, %.1f requests/s\n", o.clients,
                elapsed, count, errors.load(), static_cast<double>(count) / elapsed);
    std::printf("latency ms: p50 %.2f  p95 %.2f  p99 %.2f  max %.2f\n", p50, p95, p99, max);
  }
  return errors.load() == 0 ? 0 : 1;
}
