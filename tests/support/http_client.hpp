// A minimal HTTP/1.1 client and a `concord serve` child process, for black-box server tests.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace concord::test {

struct HttpResponse {
  int status = 0;                              // 0: no response (connection closed or timed out)
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

// Sends raw bytes to 127.0.0.1:port and reads the response until the server closes or the
// timeout passes.
HttpResponse http_raw(int port, const std::string& request,
                      std::chrono::milliseconds timeout = std::chrono::seconds(10));
HttpResponse http_get(int port, const std::string& target,
                      std::chrono::milliseconds timeout = std::chrono::seconds(10));

// Percent-encodes a query value.
std::string url_encode(std::string_view s);

// Connects to 127.0.0.1:port and returns the socket (or -1). With `source` (an address of
// 127/8, which Linux routes to loopback), the client socket is bound to it first, so the
// server sees another client.
int connect_local(int port, const char* source = nullptr);

// `concord serve --index DIR --port 0` running for the lifetime of the object.
class ServerProcess {
 public:
  explicit ServerProcess(const std::filesystem::path& index,
                         std::vector<std::string> extra_args = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] pid_t pid() const { return pid_; }
  // Resident memory of the server in KiB, from /proc.
  [[nodiscard]] long rss_kib() const;

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  int out_fd_ = -1;
};

}  // namespace concord::test
