#include "shard_writers.hpp"

#include <algorithm>
#include <fstream>
#include <thread>

#include "concord/error.hpp"

namespace concord::engine {

namespace fs = std::filesystem;

std::vector<fs::path> shard_directories(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  if (!fs::is_regular_file(dir / kShardStubFile, ec) || fs::exists(dir / "iamglass", ec)) {
    return out;
  }
  for (const auto& [kind, target] : read_stub(dir / kShardStubFile)) {
    if (kind == "remote") {
      throw Error(ErrorCode::kInvalidArgument,
                  dir.string() + ": lists remote shards; index each shard where it lives");
    }
    out.push_back(dir / target);
  }
  return out;
}

namespace {

// Writes the stub file listing the shards (relative paths, Xapian's stub format), atomically.
void write_stub(const fs::path& dir, unsigned shards) {
  const fs::path tmp = dir / (std::string(kShardStubFile) + ".tmp");
  {
    std::ofstream out(tmp, std::ios::trunc);
    for (unsigned i = 0; i < shards; ++i) out << "glass shard-" << i << "\n";
    out.flush();
    if (!out) throw Error(ErrorCode::kIo, tmp.string() + ": cannot write the shard list");
  }
  std::error_code ec;
  fs::rename(tmp, dir / kShardStubFile, ec);
  if (ec) {
    throw Error(ErrorCode::kIo,
                dir.string() + ": cannot write the shard list (" + ec.message() + ")");
  }
}

}  // namespace

ShardWriters::ShardWriters(const fs::path& dir, const std::string& stem_language, unsigned shards,
                           bool rebuild) {
  std::vector<fs::path> existing = shard_directories(dir);
  std::error_code ec;
  const bool single = fs::exists(dir / "iamglass", ec);
  if (!existing.empty() && shards > 0 && shards != existing.size()) {
    throw Error(ErrorCode::kInvalidArgument,
                dir.string() + " has " + std::to_string(existing.size()) +
                    " shards; to change that, index into a new directory with --shards " +
                    std::to_string(shards));
  }
  if (single && shards > 1) {
    throw Error(ErrorCode::kInvalidArgument,
                dir.string() + " is a single index; to shard it, index into a new directory " +
                    "with --shards " + std::to_string(shards));
  }
  if (existing.empty() && !single && shards > 1) {
    // A new sharded index: the shards exist (empty) before the stub names them.
    fs::create_directories(dir, ec);
    if (ec || (fs::directory_iterator(dir, ec) != fs::directory_iterator())) {
      throw Error(ErrorCode::kInvalidArgument,
                  dir.string() + ": cannot create a sharded index here (" +
                      (ec ? ec.message() : std::string("directory is not empty")) + ")");
    }
    for (unsigned i = 0; i < shards; ++i) existing.push_back(dir / ("shard-" + std::to_string(i)));
  }
  if (existing.empty()) {
    writers_.push_back(std::make_unique<IndexWriter>(rebuild
                                                         ? IndexWriter::rebuild(dir, stem_language)
                                                         : IndexWriter::open(dir, stem_language)));
    return;
  }
  // Shards are built side by side: share the cores between them.
  const unsigned cores = std::max(1U, std::thread::hardware_concurrency());
  const unsigned threads = std::max(1U, cores / static_cast<unsigned>(existing.size()));
  for (const auto& shard : existing) {
    writers_.push_back(
        std::make_unique<IndexWriter>(rebuild ? IndexWriter::rebuild(shard, stem_language, threads)
                                              : IndexWriter::open(shard, stem_language, threads)));
  }
  if (!fs::exists(dir / kShardStubFile, ec))
    write_stub(dir, static_cast<unsigned>(existing.size()));
}

IndexWriter& ShardWriters::writer_for(std::string_view doc_id) const {
  return *writers_[shard_of(doc_id, writers_.size())];
}

std::optional<DocumentInfo> ShardWriters::find(std::string_view doc_id) const {
  return writer_for(doc_id).find(doc_id);
}

std::vector<DocumentInfo> ShardWriters::documents() const {
  std::vector<DocumentInfo> out;
  for (const auto& w : writers_) {
    auto docs = w->documents();
    out.insert(out.end(), std::make_move_iterator(docs.begin()),
               std::make_move_iterator(docs.end()));
  }
  return out;
}

void ShardWriters::put(const Paper& paper, const std::string& fingerprint, const PaperTags& tags) {
  writer_for(paper.meta.id).put(paper, fingerprint, tags);
}

bool ShardWriters::remove(std::string_view doc_id) {
  return writer_for(doc_id).remove(doc_id);
}

void ShardWriters::set_tagging_data(const std::string& taxonomy_source,
                                    const std::string& gazetteer_source) {
  for (auto& w : writers_) w->set_tagging_data(taxonomy_source, gazetteer_source);
}

void ShardWriters::commit() {
  for (auto& w : writers_) w->commit();
}

std::uint64_t ShardWriters::paragraph_count() const {
  std::uint64_t n = 0;
  for (const auto& w : writers_) n += w->paragraph_count();
  return n;
}

std::uint64_t ShardWriters::document_count() const {
  std::uint64_t n = 0;
  for (const auto& w : writers_) n += w->document_count();
  return n;
}

}  // namespace concord::engine
