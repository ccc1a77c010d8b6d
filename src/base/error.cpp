// Names of error codes, used in JSON error bodies and logs.
#include "concord/error.hpp"

namespace concord {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return "invalid_argument";
    case ErrorCode::kInvalidQuery:
      return "invalid_query";
    case ErrorCode::kLimitExceeded:
      return "limit_exceeded";
    case ErrorCode::kInvalidInput:
      return "invalid_input";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kIo:
      return "io_error";
    case ErrorCode::kBusy:
      return "busy";
    case ErrorCode::kCorrupt:
      return "corrupt_index";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kInternal:
      return "internal";
  }
  return "internal";
}

}  // namespace concord
