// Error type shared by every Concord module.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace concord {

// What went wrong, independent of the front end. The CLI maps these to exit codes and the
// HTTP server to status codes, each in one table.
enum class ErrorCode {
  kInvalidArgument,  // a bad option, filter or field name supplied by the user
  kInvalidQuery,     // the query string does not parse
  kLimitExceeded,    // a request bound (length, terms, depth, window) was hit
  kInvalidInput,     // a file that cannot be turned into a paper (empty, binary, corrupt)
  kNotFound,         // unknown document, paragraph or index
  kIo,               // the operating system refused a read or write
  kBusy,             // another writer holds the index lock
  kCorrupt,          // the index exists but cannot be read
  kUnavailable,      // a shard or service is unreachable
  kInternal,         // a bug: should never reach a user
};

std::string_view to_string(ErrorCode code);

// Exceptions carry a code and a message written for the user ("file X: empty file"). Messages
// never contain a stack trace or text of third-party exceptions the user cannot act on.
class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  [[nodiscard]] ErrorCode code() const noexcept { return code_; }

 private:
  ErrorCode code_;
};

}  // namespace concord
