// libmicrohttpd glue: requests in, responses out, limits set once.
#include "daemon.hpp"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <sys/socket.h>

#include <cstdarg>
#include <cstring>

#include "api.hpp"
#include "concord/error.hpp"
#include "logging.hpp"

namespace concord::server {

struct Daemon::Impl {
  DaemonOptions options;
  Handler handler;
  MHD_Daemon* daemon = nullptr;
  std::uint16_t port = 0;
  sockaddr_storage address{};
};

namespace {

MHD_Result collect_argument(void* cls, MHD_ValueKind, const char* key, const char* value) {
  auto* query = static_cast<std::vector<std::pair<std::string, std::string>>*>(cls);
  if (query->size() < 256 && key != nullptr)
    query->emplace_back(key, value != nullptr ? value : "");
  return MHD_YES;
}

MHD_Result send(MHD_Connection* connection, const Response& response) {
  MHD_Response* r = MHD_create_response_from_buffer(
      response.body.size(), const_cast<char*>(response.body.data()), MHD_RESPMEM_MUST_COPY);
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
    const bool has_body = MHD_lookup_connection_value(connection, MHD_HEADER_KIND,
                                                      MHD_HTTP_HEADER_CONTENT_LENGTH) != nullptr ||
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
    MHD_get_connection_values(connection, MHD_GET_ARGUMENT_KIND, &collect_argument, &request.query);
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
      static_cast<unsigned>(options.connection_limit), MHD_OPTION_CONNECTION_TIMEOUT,
      static_cast<unsigned>(options.idle_timeout_seconds), MHD_OPTION_CONNECTION_MEMORY_LIMIT,
      static_cast<size_t>(options.connection_memory), MHD_OPTION_LISTEN_BACKLOG_SIZE, 256u,
      MHD_OPTION_EXTERNAL_LOGGER, &log_mhd, nullptr, MHD_OPTION_END);
  if (impl_->daemon == nullptr) {
    throw Error(ErrorCode::kIo, "cannot listen on " + options.host + ":" + port +
                                    " (address in use or not allowed)");
  }
  const MHD_DaemonInfo* info = MHD_get_daemon_info(impl_->daemon, MHD_DAEMON_INFO_BIND_PORT);
  impl_->port = info != nullptr ? info->port : options.port;
}

Daemon::~Daemon() {
  if (impl_ && impl_->daemon != nullptr) MHD_stop_daemon(impl_->daemon);
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
