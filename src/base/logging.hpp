// Internal accessor for the library's logger. Not a public header: it pulls in spdlog.
#pragma once

#include <spdlog/spdlog.h>

namespace concord::detail {

// The "concord" logger; created on first use with a stderr sink if the front end set none.
spdlog::logger& log();

}  // namespace concord::detail
