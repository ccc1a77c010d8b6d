// The HTTP server: libmicrohttpd with its connection, timeout and memory limits. Internal to
// the server front end.
//
// Why libmicrohttpd: it is in Debian, built for exposure, and bounds every resource a hostile
// client can grab. Its internal epoll threads keep idle or slow connections (slowloris) from
// occupying a worker, each connection's request line and headers must fit in a fixed memory
// pool (a 200 MB header is refused, not buffered), bodies are never read for our GET-only
// routes, and idle connections time out. Debian's cpp-httplib 0.11.4, measured here, stalls
// on 8 slow connections and buffers unbounded headers and bodies with its defaults.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "http.hpp"

namespace concord::server {

struct DaemonOptions {
  std::string host = "127.0.0.1";  // loopback unless asked otherwise
  std::uint16_t port = 8080;       // 0 picks a free port
  unsigned threads = 4;            // epoll worker threads
  unsigned connection_limit = 512;
  // One client (address) may hold at most this many connections, so that one host cannot take
  // the whole connection_limit.
  unsigned per_ip_connection_limit = 64;
  unsigned idle_timeout_seconds = 10;
  // A request's line and headers must all arrive within this time of the connection opening
  // (or of the previous response on a keep-alive connection). The idle timeout alone does not
  // stop a client that trickles a header byte every few seconds (slowloris).
  double header_deadline_seconds = 10;
  std::size_t connection_memory = 32 * 1024;  // request line + headers per connection
  std::size_t max_url_bytes = 8 * 1024;
};

using Handler = std::function<Response(const Request&)>;

class Daemon {
 public:
  // Starts serving. Throws Error(kIo) when the address cannot be bound.
  Daemon(const DaemonOptions& options, Handler handler);
  ~Daemon();  // stops serving
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  [[nodiscard]] std::uint16_t port() const;
  [[nodiscard]] std::string url() const;

  struct Impl;  // public so the C callbacks can reach it; defined in daemon.cpp only

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace concord::server
