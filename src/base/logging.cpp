// The library's single named logger.
#include "logging.hpp"

#include <cstdlib>
#include <mutex>

#include <spdlog/sinks/stdout_color_sinks.h>

#include "concord/error.hpp"
#include "concord/log.hpp"

namespace concord {
namespace {

std::shared_ptr<spdlog::logger> make_logger() {
  auto existing = spdlog::get("concord");
  if (existing) return existing;
  auto logger = spdlog::stderr_color_mt("concord");
  logger->set_pattern("%^%l%$: %v");
  logger->set_level(spdlog::level::warn);
  return logger;
}

std::shared_ptr<spdlog::logger>& shared_logger() {
  static std::shared_ptr<spdlog::logger> logger = make_logger();
  return logger;
}

}  // namespace

namespace detail {
spdlog::logger& log() {
  return *shared_logger();
}
}  // namespace detail

void setup_logging(std::string_view level) {
  const auto parsed = spdlog::level::from_str(std::string(level));
  // from_str maps anything unknown to "off"; only accept "off" when it was asked for.
  if (parsed == spdlog::level::off && level != "off") {
    throw Error(ErrorCode::kInvalidArgument,
                "unknown log level '" + std::string(level) +
                    "' (use trace, debug, info, warn, error, critical or off)");
  }
  shared_logger()->set_level(parsed);
}

std::string default_log_level() {
  const char* env = std::getenv("CONCORD_LOG");
  return (env != nullptr && *env != '\0') ? std::string(env) : std::string("warn");
}

}  // namespace concord
