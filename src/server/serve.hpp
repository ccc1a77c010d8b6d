// `concord serve`: the API and web page over an index until interrupted.
#pragma once

#include <functional>
#include <string>

#include "concord/index.hpp"
#include "daemon.hpp"

namespace concord::server {

struct ServeOptions {
  IndexLocation index;
  DaemonOptions http;
};

// Serves until SIGINT or SIGTERM. `ready` is called with the URL once listening.
void serve(const ServeOptions& options, const std::function<void(const std::string& url)>& ready);

}  // namespace concord::server
