// Logging set-up for front ends. The library logs through one spdlog logger named "concord"
// and never writes to stdout; the front end chooses the level and the sink.
#pragma once

#include <string>
#include <string_view>

namespace concord {

// Installs the "concord" logger writing to stderr at the given level (trace, debug, info,
// warn, error, critical, off). Throws Error(kInvalidArgument) for an unknown level.
void setup_logging(std::string_view level);

// The level to use when the user gave none: CONCORD_LOG if set, else "warn".
std::string default_log_level();

}  // namespace concord
