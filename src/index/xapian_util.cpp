// Xapian error mapping and directory syncing.
#include "xapian_util.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace concord::xapian_util {

void rethrow(const Xapian::Error& e, const std::string& context) {
  // Xapian's exception classes are not polymorphic; get_type() names the concrete class.
  const std::string type = e.get_type();
  // The errno text ("No space left on device") says what to do about a failed write.
  const char* system = e.get_error_string();
  const std::string detail = context + ": " + e.get_msg() +
                             (system != nullptr && *system ? std::string(" (") + system + ")" : "");
  if (type == "DatabaseLockError") {
    throw Error(ErrorCode::kBusy,
                context + ": another process is writing to this index; wait for it to finish");
  }
  if (type == "DatabaseCorruptError" || type == "DatabaseVersionError") {
    throw Error(ErrorCode::kCorrupt, detail);
  }
  if (type == "DatabaseNotFoundError") throw Error(ErrorCode::kNotFound, detail);
  if (type == "DatabaseOpeningError") throw Error(ErrorCode::kCorrupt, detail);
  if (type == "NetworkError" || type == "NetworkTimeoutError") {
    throw Error(ErrorCode::kUnavailable, detail);
  }
  if (type == "QueryParserError") throw Error(ErrorCode::kInvalidQuery, detail);
  if (type.compare(0, 8, "Database") == 0) throw Error(ErrorCode::kIo, detail);
  throw Error(ErrorCode::kInternal, detail);
}

void fsync_directory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    throw Error(ErrorCode::kIo,
                dir + ": cannot open directory to sync (" + std::strerror(errno) + ")");
  }
  const int rc = ::fsync(fd);
  const int saved = errno;
  ::close(fd);
  if (rc != 0) {
    throw Error(ErrorCode::kIo, dir + ": fsync failed (" + std::strerror(saved) + ")");
  }
}

}  // namespace concord::xapian_util
