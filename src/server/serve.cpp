// Composition of the API and the daemon, and waiting for a stop signal.
#include "serve.hpp"

#include <csignal>

#include "api.hpp"

namespace concord::server {

void serve(const ServeOptions& options, const std::function<void(const std::string&)>& ready) {
  // Block the stop signals in every thread (the daemon's threads inherit the mask), then
  // wait for one here: a clean, synchronous shutdown.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  ApiOptions api_options;
  api_options.index = options.index;
  Api api(api_options);
  Daemon daemon(options.http, [&api](const Request& r) { return api.handle(r); });
  ready(daemon.url());
  int signal = 0;
  sigwait(&stop, &signal);
}

}  // namespace concord::server
