// libmicrohttpd glue: requests in, responses out, limits set once.
#include "daemon.hpp"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdarg>
#include <cstring>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "api.hpp"
#include "concord/error.hpp"
#include "logging.hpp"

namespace concord::server {

// Enforces DaemonOptions::header_deadline_seconds. libmicrohttpd 0.9.75 has only an inactivity
// timeout, which a byte every few seconds resets, so every connection is tracked from its start
// (or from its previous response) until its headers are in, and a watchdog thread shuts down
// the socket of any that is late. shutdown() leaves the descriptor open, so MHD still owns it:
// its epoll thread sees the hang-up and closes the connection itself. The mutex also orders
// the watchdog against MHD_CONNECTION_NOTIFY_CLOSED, which MHD calls before it closes the fd,
// so a descriptor is never shut down after MHD has let it go (and the number been reused).
class HeaderDeadline {
 public:
  using Clock = std::chrono::steady_clock;

  void started(MHD_Connection* c, int fd) {
    std::lock_guard lock(mutex_);
    waiting_[c] = Waiting{fd, Clock::now()};
  }
  void headers_received(MHD_Connection* c) {
    std::lock_guard lock(mutex_);
    if (auto it = waiting_.find(c); it != waiting_.end()) it->second.since.reset();
  }
  void response_done(MHD_Connection* c) {  // keep-alive: the next request's clock starts
    std::lock_guard lock(mutex_);
    if (auto it = waiting_.find(c); it != waiting_.end()) it->second.since = Clock::now();
  }
  void closed(MHD_Connection* c) {
    std::lock_guard lock(mutex_);
    waiting_.erase(c);
  }

  void start(double seconds) {
    const auto limit =
        std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    const auto tick = std::clamp<Clock::duration>(limit / 4, std::chrono::milliseconds(20),
                                                  std::chrono::milliseconds(500));
    watchdog_ = std::jthread([this, limit, tick](std::stop_token stop) {
      std::unique_lock lock(mutex_);
      while (!stop.stop_requested()) {
        wake_.wait_for(lock, stop, tick, [] { return false; });
        const auto now = Clock::now();
        for (auto& entry : waiting_) {
          Waiting& w = entry.second;
          if (w.since && now - *w.since > limit && !w.shut) {
            ::shutdown(w.fd, SHUT_RDWR);
            w.shut = true;
            detail::log().debug("http: closed a connection whose request headers were late");
          }
        }
      }
    });
  }
  void stop() {
    watchdog_.request_stop();
    if (watchdog_.joinable()) watchdog_.join();
  }

 private:
  struct Waiting {
    int fd = -1;
    std::optional<Clock::time_point> since;  // empty while a request is being answered
    bool shut = false;
  };
  std::mutex mutex_;
  std::condition_variable_any wake_;
  std::unordered_map<MHD_Connection*, Waiting> waiting_;
  std::jthread watchdog_;
};

struct Daemon::Impl {
  DaemonOptions options;
  Handler handler;
  MHD_Daemon* daemon = nullptr;
  std::uint16_t port = 0;
  sockaddr_storage address{};
  HeaderDeadline deadline;
};

namespace {

constexpr std::size_t kMaxQueryParameters = 256;

// Stops at the bound and says so: a parameter dropped in silence (say a bad `offset` after
// the 256th) would change the answer without telling the client.
struct QueryCollector {
  std::vector<std::pair<std::string, std::string>>* query;
  bool too_many = false;
};

MHD_Result collect_argument(void* cls, MHD_ValueKind, const char* key, const char* value) {
  auto* collector = static_cast<QueryCollector*>(cls);
  if (key == nullptr) return MHD_YES;
  if (collector->query->size() >= kMaxQueryParameters) {
    collector->too_many = true;
    return MHD_NO;
  }
  collector->query->emplace_back(key, value != nullptr ? value : "");
  return MHD_YES;
}

// A streamed body (Response::stream) handed to libmicrohttpd, which owns it until it calls
// free_stream: the first piece, then one piece per call of the generator, copied out as the
// socket takes them.
struct StreamedBody {
  std::string piece;
  std::size_t sent = 0;
  std::function<std::string()> next;
  bool done = false;
};

ssize_t read_stream(void* cls, std::uint64_t, char* buffer, size_t max) {
  auto* body = static_cast<StreamedBody*>(cls);
  try {
    while (body->sent >= body->piece.size()) {
      if (body->done) return MHD_CONTENT_READER_END_OF_STREAM;
      body->piece = body->next();
      body->sent = 0;
      body->done = body->piece.empty();
    }
  } catch (const std::exception& e) {
    detail::log().warn("http: a streamed response ended early: {}", e.what());
    return MHD_CONTENT_READER_END_WITH_ERROR;
  }
  const std::size_t n = std::min(max, body->piece.size() - body->sent);
  std::memcpy(buffer, body->piece.data() + body->sent, n);
  body->sent += n;
  return static_cast<ssize_t>(n);
}

void free_stream(void* cls) {
  const std::unique_ptr<StreamedBody> owned(static_cast<StreamedBody*>(cls));
}

MHD_Result send(MHD_Connection* connection, Response response) {
  MHD_Response* r = nullptr;
  if (response.stream) {
    auto body = std::make_unique<StreamedBody>();
    body->piece = std::move(response.body);
    body->next = std::move(response.stream);
    r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, &read_stream, body.get(),
                                          &free_stream);
    if (r != nullptr) static_cast<void>(body.release());  // now owned by libmicrohttpd
  } else {
    r = MHD_create_response_from_buffer(
        response.body.size(), const_cast<char*>(response.body.data()), MHD_RESPMEM_MUST_COPY);
  }
  if (r == nullptr) return MHD_NO;
  MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, response.content_type.c_str());
  for (const auto& [name, value] : response.headers)
    MHD_add_response_header(r, name.c_str(), value.c_str());
  const MHD_Result rc = MHD_queue_response(connection, static_cast<unsigned>(response.status), r);
  MHD_destroy_response(r);
  return rc;
}

Response plain_error(int status, const char* code, const char* message) {
  Response r;
  r.status = status;
  r.body = std::string("{\"error\":{\"code\":\"") + code + "\",\"message\":\"" + message + "\"}}\n";
  add_security_headers(r);
  return r;
}

// Called once when the request line and headers are in, then once per piece of body, then
// once more at the end. Every route is GET or HEAD without a body: those are answered at the
// end (which keeps the connection alive); anything else is answered at once, without
// reading its body, and the connection closes.
MHD_Result on_request(void* cls, MHD_Connection* connection, const char* url, const char* method,
                      const char*, const char*, size_t* upload_data_size, void** state) {
  auto* impl = static_cast<Daemon::Impl*>(cls);
  const std::string_view verb = method != nullptr ? method : "";
  if (*state == nullptr) {
    *state = impl;
    impl->deadline.headers_received(connection);
    // "Content-Length: 0" is no body (Python's urllib sends it with GET).
    const char* length =
        MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    const bool has_body = (length != nullptr && std::string_view(length) != "0") ||
                          MHD_lookup_connection_value(connection, MHD_HEADER_KIND,
                                                      MHD_HTTP_HEADER_TRANSFER_ENCODING) != nullptr;
    if (verb != "GET" && verb != "HEAD") {
      Response r = plain_error(405, "method_not_allowed", "only GET and HEAD are supported");
      r.headers.emplace_back("Allow", "GET, HEAD");
      return send(connection, r);
    }
    if (has_body)
      return send(connection,
                  plain_error(400, "bad_request", "GET and HEAD requests carry no body"));
    return MHD_YES;
  }
  if (*upload_data_size != 0) {
    *upload_data_size = 0;  // a body we already refused: drop it
    return MHD_YES;
  }
  try {
    Request request;
    request.method = std::string(verb);
    request.path = url != nullptr ? url : "/";
    if (request.path.size() > impl->options.max_url_bytes) {
      return send(connection, plain_error(414, "uri_too_long", "the address is too long"));
    }
    QueryCollector collector{&request.query};
    MHD_get_connection_values(connection, MHD_GET_ARGUMENT_KIND, &collect_argument, &collector);
    if (collector.too_many) {
      return send(connection, plain_error(400, "too_many_parameters",
                                          "at most 256 query parameters are accepted"));
    }
    std::size_t query_bytes = 0;
    for (const auto& [k, v] : request.query) query_bytes += k.size() + v.size();
    if (query_bytes > impl->options.max_url_bytes) {
      return send(connection, plain_error(414, "uri_too_long", "the query string is too long"));
    }
    return send(connection, impl->handler(request));
  } catch (const std::exception& e) {
    detail::log().error("request failed: {}", e.what());
    return send(connection,
                plain_error(500, "internal", "the server could not answer this request"));
  }
}

void on_connection(void* cls, MHD_Connection* connection, void**,
                   MHD_ConnectionNotificationCode code) {
  auto* impl = static_cast<Daemon::Impl*>(cls);
  if (code == MHD_CONNECTION_NOTIFY_STARTED) {
    const MHD_ConnectionInfo* info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (info != nullptr) impl->deadline.started(connection, info->connect_fd);
  } else {
    impl->deadline.closed(connection);
  }
}

void on_completed(void* cls, MHD_Connection* connection, void**, MHD_RequestTerminationCode) {
  static_cast<Daemon::Impl*>(cls)->deadline.response_done(connection);
}

void log_mhd(void*, const char* format, va_list args) {
  char buffer[512];
  std::vsnprintf(buffer, sizeof buffer, format, args);
  detail::log().debug("http: {}", buffer);
}

}  // namespace

Daemon::Daemon(const DaemonOptions& options, Handler handler) : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
  impl_->handler = std::move(handler);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV | AI_PASSIVE;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(options.port);
  if (getaddrinfo(options.host.c_str(), port.c_str(), &hints, &found) != 0 || found == nullptr) {
    throw Error(ErrorCode::kInvalidArgument, "cannot resolve host '" + options.host + "'");
  }
  std::memcpy(&impl_->address, found->ai_addr, found->ai_addrlen);
  const bool ipv6 = found->ai_family == AF_INET6;
  freeaddrinfo(found);
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
  if (ipv6) flags |= MHD_USE_IPv6;
  impl_->daemon = MHD_start_daemon(
      flags, options.port, nullptr, nullptr, &on_request, impl_.get(), MHD_OPTION_SOCK_ADDR,
      reinterpret_cast<sockaddr*>(&impl_->address), MHD_OPTION_THREAD_POOL_SIZE,
      static_cast<unsigned>(options.threads), MHD_OPTION_CONNECTION_LIMIT,
      static_cast<unsigned>(options.connection_limit), MHD_OPTION_PER_IP_CONNECTION_LIMIT,
      static_cast<unsigned>(options.per_ip_connection_limit), MHD_OPTION_NOTIFY_CONNECTION,
      &on_connection, impl_.get(), MHD_OPTION_NOTIFY_COMPLETED, &on_completed, impl_.get(),
      MHD_OPTION_CONNECTION_TIMEOUT, static_cast<unsigned>(options.idle_timeout_seconds),
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, static_cast<size_t>(options.connection_memory),
      MHD_OPTION_LISTEN_BACKLOG_SIZE, 256u, MHD_OPTION_EXTERNAL_LOGGER, &log_mhd, nullptr,
      MHD_OPTION_END);
  if (impl_->daemon == nullptr) {
    throw Error(ErrorCode::kIo, "cannot listen on " + options.host + ":" + port +
                                    " (address in use or not allowed)");
  }
  const MHD_DaemonInfo* info = MHD_get_daemon_info(impl_->daemon, MHD_DAEMON_INFO_BIND_PORT);
  impl_->port = info != nullptr ? info->port : options.port;
  impl_->deadline.start(options.header_deadline_seconds);
}

Daemon::~Daemon() {
  if (!impl_) return;
  impl_->deadline.stop();
  if (impl_->daemon != nullptr) MHD_stop_daemon(impl_->daemon);
}

std::uint16_t Daemon::port() const {
  return impl_->port;
}

std::string Daemon::url() const {
  const std::string& host = impl_->options.host;
  const bool ipv6 = host.find(':') != std::string::npos;
  return "http://" + (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(impl_->port) + "/";
}

}  // namespace concord::server
