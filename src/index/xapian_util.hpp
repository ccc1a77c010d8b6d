// Converting Xapian exceptions into Concord errors, and retrying reads that raced a commit.
// Internal to the library.
#pragma once

#include <string>
#include <utility>

#include <xapian.h>

#include "concord/error.hpp"

namespace concord::xapian_util {

// Maps a Xapian exception to an Error with a message for the user (context first).
[[noreturn]] void rethrow(const Xapian::Error& e, const std::string& context);

// Runs fn(db); when a commit by another process invalidated the revision being read
// (DatabaseModifiedError), reopens and tries again, a bounded number of times, because
// reopen() itself can race the next commit.
template <typename Fn>
auto with_retry(Xapian::Database& db, Fn&& fn) -> decltype(fn(db)) {
  constexpr int kAttempts = 8;
  for (int attempt = 1;; ++attempt) {
    try {
      return fn(db);
    } catch (const Xapian::DatabaseModifiedError& e) {
      if (attempt >= kAttempts) rethrow(e, "index changed too often while reading");
      try {
        db.reopen();
      } catch (const Xapian::DatabaseModifiedError&) {
        // Retry the reopen on the next iteration.
      }
    }
  }
}

// Fsyncs a directory so that a renamed or newly created entry in it survives a power cut.
void fsync_directory(const std::string& dir);

}  // namespace concord::xapian_util
