#include "parallel_build.hpp"

#include <algorithm>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <variant>

#include <xapian.h>

#include "concord/error.hpp"
#include "document_builder.hpp"
#include "schema.hpp"
#include "xapian_util.hpp"

namespace concord::index {

namespace fs = std::filesystem;

}  // namespace concord::index

std::size_t concord::shard_of(std::string_view doc_id, std::size_t shards) {
  return shards <= 1 ? 0 : static_cast<std::size_t>(index::stable_hash(doc_id) % shards);
}

namespace concord::index {

std::uint64_t stable_hash(std::string_view text) {
  std::uint64_t h = 14695981039346656037ULL;
  for (const unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

namespace {

struct PutTask {
  Paper paper;
  std::string fingerprint;
  PaperTags tags;
};
struct RemoveTask {
  std::string doc_id;
};
using Task = std::variant<PutTask, RemoveTask>;

// Papers waiting per worker. Small: enough to keep a worker busy while the caller parses
// the next file, without holding a large part of the corpus in memory.
constexpr std::size_t kQueueDepth = 16;
// Paragraphs between flushes of a partial database. Xapian's default (10,000 changes)
// holds more postings in memory than fit the CPU caches; flushing more often measured
// about 20% faster and keeps a worker near 30 MB (see tools/bench).
constexpr std::uint64_t kFlushEvery = 2000;
// Paragraphs per segment. Adding to a Xapian database costs more as it grows (each flush
// merges into longer posting lists through a deeper B-tree), so a worker starts a new
// segment database when its current one holds this many, and merge() joins all segments in
// one sequential compaction.
// CONCORD_SEGMENT_PARAGRAPHS overrides it (tests use tiny segments to cover the merge).
std::uint64_t segment_size() {
  constexpr std::uint64_t kDefault = 30000;
  const char* env = std::getenv("CONCORD_SEGMENT_PARAGRAPHS");
  if (env == nullptr || *env == '\0') return kDefault;
  char* end = nullptr;
  const unsigned long long n = std::strtoull(env, &end, 10);
  return (*end == '\0' && n > 0) ? n : kDefault;
}

}  // namespace

class ParallelBuild::Worker {
 public:
  Worker(fs::path path, const std::string& stem_language, const WordPairs& pairs,
         std::string indexed_at)
      : path_(std::move(path)),
        db_(open_segment()),
        builder_(stem_language, pairs),
        indexed_at_(std::move(indexed_at)),
        thread_([this] { run(); }) {}

  ~Worker() { stop(); }

  void push(Task task) {
    std::unique_lock lock(mutex_);
    space_.wait(lock, [&] { return queue_.size() < kQueueDepth || failure_; });
    if (failure_) return;  // reported by the next failure() check
    queue_.push_back(std::move(task));
    ready_.notify_one();
  }

  // Drops queued work (the build is being abandoned) and ends the thread.
  void cancel() {
    {
      std::lock_guard lock(mutex_);
      queue_.clear();
    }
    space_.notify_all();
    stop();
  }

  // Waits until the queue is drained and the thread has ended.
  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    ready_.notify_one();
    if (thread_.joinable()) thread_.join();
  }

  void close(const std::map<std::string, std::string>& metadata) {
    vocabulary_.flush(db_);
    for (const auto& [key, value] : metadata) db_.set_metadata(key, value);
    db_.commit();
    db_.close();
  }

  std::exception_ptr failure() {
    std::lock_guard lock(mutex_);
    return failure_;
  }

  // The segment databases written, oldest first.
  [[nodiscard]] std::vector<fs::path> segments() const {
    std::vector<fs::path> out;
    for (std::size_t i = 0; i < segment_count_; ++i) out.push_back(segment_path(i));
    return out;
  }

 private:
  void run() {
    for (;;) {
      Task task;
      {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [&] { return !queue_.empty() || stopping_; });
        if (queue_.empty()) return;
        task = std::move(queue_.front());
        queue_.pop_front();
      }
      space_.notify_one();
      try {
        apply(task);
      } catch (...) {
        std::lock_guard lock(mutex_);
        failure_ = std::current_exception();
        queue_.clear();
        space_.notify_all();
        return;
      }
    }
  }

  [[nodiscard]] fs::path segment_path(std::size_t i) const {
    return path_ / ("segment-" + std::to_string(i));
  }

  // A segment is scratch space until merged: no fsync (merge() output is synced), no
  // transaction (the final rename is what makes the build visible). Its blocks are 32 KB
  // instead of Xapian's 8 KB, so fewer blocks split while it grows: the whole UNGDC corpus
  // built about 5% faster (three builds each, alternating: 125 to 136 s against 134 to 143 s;
  // 64 KB: 136 s twice). merge() writes the default 8 KB blocks, so searches read as before.
  static constexpr unsigned kSegmentBlockSize = 32768;
  Xapian::WritableDatabase open_segment() {
    const fs::path path = segment_path(segment_count_++);
    std::error_code ec;
    fs::create_directories(path_, ec);  // Xapian creates the segment, not its parent
    if (ec) {
      throw Error(ErrorCode::kIo,
                  path_.string() + ": cannot create build directory (" + ec.message() + ")");
    }
    try {
      return Xapian::WritableDatabase(
          path.string(),
          Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS | Xapian::DB_NO_SYNC,
          kSegmentBlockSize);
    } catch (const Xapian::Error& e) {
      xapian_util::rethrow(e, path.string());
    }
  }

  void start_new_segment() {
    vocabulary_.flush(db_);
    db_.commit();
    db_.close();
    db_ = open_segment();
    segment_paragraphs_ = 0;
    changes_ = 0;
  }

  void apply(Task& task) {
    if (auto* put = std::get_if<PutTask>(&task)) {
      remove(put->paper.meta.id);
      if (segment_paragraphs_ >= segment_size_) start_new_segment();
      BuiltPaper built = builder_.build(put->paper, put->fingerprint, put->tags, indexed_at_);
      try {
        for (auto& doc : built.paragraphs) db_.add_document(doc);
        db_.add_document(built.record);
      } catch (const Xapian::Error& e) {
        xapian_util::rethrow(e, path_.string() + ": writing " + put->paper.meta.id);
      }
      vocabulary_.add(built.words, nullptr);  // a new database: only this worker's words
      changes_ += built.paragraphs.size() + 1;
      segment_paragraphs_ += built.paragraphs.size();
      segment_of_[put->paper.meta.id] = segment_count_ - 1;
    } else {
      remove(std::get<RemoveTask>(task).doc_id);
    }
    if (changes_ >= kFlushEvery) {
      vocabulary_.flush(db_);
      db_.commit();
      changes_ = 0;
    }
  }

  void remove(const std::string& doc_id) {
    const auto found = segment_of_.find(doc_id);
    if (found == segment_of_.end()) return;
    const std::size_t segment = found->second;
    segment_of_.erase(found);
    const auto erase = [&](Xapian::WritableDatabase& db) {
      db.delete_document(schema::bounded_term(schema::kDoc, doc_id));
      db.delete_document(schema::bounded_term(schema::kDocumentId, doc_id));
    };
    if (segment + 1 == segment_count_) {
      erase(db_);
      ++changes_;
      return;
    }
    // A paper put again after its segment was closed (rare: a file given twice).
    const fs::path path = segment_path(segment);
    try {
      Xapian::WritableDatabase old(path.string(), Xapian::DB_OPEN | Xapian::DB_NO_SYNC);
      erase(old);
      old.commit();
    } catch (const Xapian::Error& e) {
      xapian_util::rethrow(e, path.string() + ": removing " + doc_id);
    }
  }

  fs::path path_;  // a directory of segments
  std::size_t segment_count_ = 0;
  Xapian::WritableDatabase db_;
  DocumentBuilder builder_;
  Vocabulary vocabulary_;
  std::string indexed_at_;
  std::uint64_t changes_ = 0;
  std::uint64_t segment_paragraphs_ = 0;
  const std::uint64_t segment_size_ = segment_size();
  std::unordered_map<std::string, std::size_t> segment_of_;  // paper id -> its segment

  std::mutex mutex_;
  std::condition_variable ready_, space_;
  std::deque<Task> queue_;
  bool stopping_ = false;
  std::exception_ptr failure_;
  std::thread thread_;  // last: started once everything above exists
};

ParallelBuild::ParallelBuild(fs::path staging, unsigned workers, std::string stem_language,
                             const WordPairs& pairs, std::string indexed_at)
    : staging_(std::move(staging)) {
  std::error_code ec;
  fs::remove_all(staging_, ec);
  fs::create_directories(staging_, ec);
  if (ec) {
    throw Error(ErrorCode::kIo,
                staging_.string() + ": cannot create build directory (" + ec.message() + ")");
  }
  try {
    for (unsigned i = 0; i < workers; ++i) {
      workers_.push_back(std::make_unique<Worker>(staging_ / ("part-" + std::to_string(i)),
                                                  stem_language, pairs, indexed_at));
    }
  } catch (const Xapian::Error& e) {
    xapian_util::rethrow(e, staging_.string());
  }
}

ParallelBuild::~ParallelBuild() {
  for (auto& w : workers_) w->cancel();
  workers_.clear();
  std::error_code ec;
  fs::remove_all(staging_, ec);
}

void ParallelBuild::rethrow_failure() {
  for (auto& w : workers_) {
    if (auto failure = w->failure()) std::rethrow_exception(failure);
  }
}

void ParallelBuild::put(const Paper& paper, const std::string& fingerprint, const PaperTags& tags) {
  rethrow_failure();
  auto& worker = *workers_[stable_hash(paper.meta.id) % workers_.size()];
  worker.push(PutTask{paper, fingerprint, tags});
}

void ParallelBuild::remove(const std::string& doc_id) {
  rethrow_failure();
  workers_[stable_hash(doc_id) % workers_.size()]->push(RemoveTask{doc_id});
}

std::vector<fs::path> ParallelBuild::finish(const std::map<std::string, std::string>& metadata) {
  for (auto& w : workers_) w->stop();
  rethrow_failure();
  std::vector<fs::path> parts;
  try {
    for (auto& w : workers_) {
      w->close(metadata);
      for (auto& segment : w->segments()) parts.push_back(std::move(segment));
    }
  } catch (const Xapian::Error& e) {
    xapian_util::rethrow(e, staging_.string() + ": finishing the build");
  }
  return parts;
}

void ParallelBuild::merge(const std::vector<fs::path>& parts, const fs::path& output) {
  // Xapian's compactor opens every input at once, each with a file per table: many segments
  // are merged in rounds so that a large corpus stays within the open-file limit.
  constexpr std::size_t kMaxInputs = 32;
  if (parts.size() > kMaxInputs) {
    std::vector<fs::path> merged;
    for (std::size_t first = 0; first < parts.size(); first += kMaxInputs) {
      const std::size_t last = std::min(parts.size(), first + kMaxInputs);
      merged.push_back(output.string() + "." + std::to_string(parts.size()) + "-" +
                       std::to_string(merged.size()));
      merge({parts.begin() + static_cast<std::ptrdiff_t>(first),
             parts.begin() + static_cast<std::ptrdiff_t>(last)},
            merged.back());
    }
    merge(merged, output);
    std::error_code ec;
    for (const auto& round : merged) fs::remove_all(round, ec);  // staging; removed later anyway
    return;
  }
  try {
    Xapian::Database all;
    for (const auto& part : parts) all.add_database(Xapian::Database(part.string()));
    // Renumbering is fine: paragraphs are addressed by document id and ordinal, never by
    // Xapian docid. The metadata keys are identical in every part, so the first one wins.
    all.compact(output.string(), Xapian::DBCOMPACT_MULTIPASS | Xapian::DB_BACKEND_GLASS);
  } catch (const Xapian::Error& e) {
    xapian_util::rethrow(e, output.string() + ": merging partial indexes");
  }
}

}  // namespace concord::index
