// IndexWriter: one Xapian transaction from open (or the last commit) to the next commit.
#include <fcntl.h>
#include <stdio.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <thread>

#include "concord/error.hpp"
#include "concord/index.hpp"
#include "document_builder.hpp"
#include "logging.hpp"
#include "parallel_build.hpp"
#include "records.hpp"
#include "schema.hpp"
#include "xapian_util.hpp"

namespace concord {

namespace fs = std::filesystem;

namespace {

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

// Refuse to turn an unrelated, non-empty directory into an index.
void check_index_directory(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    fs::create_directories(dir, ec);
    if (ec)
      throw Error(ErrorCode::kIo,
                  dir.string() + ": cannot create index directory (" + ec.message() + ")");
    return;
  }
  if (!fs::is_directory(dir, ec)) {
    throw Error(ErrorCode::kInvalidArgument, dir.string() + ": exists and is not a directory");
  }
  if (fs::exists(dir / "iamglass", ec)) return;
  if (fs::directory_iterator(dir, ec) != fs::directory_iterator()) {
    throw Error(ErrorCode::kInvalidArgument,
                dir.string() +
                    ": directory is not empty and is not a Concord index; "
                    "choose another --index directory");
  }
}

// Where a parallel build stages its partial databases: beside the index, on the same file
// system, so that the finished index can be renamed into place.
fs::path staging_directory(const fs::path& dir) {
  fs::path index = fs::absolute(dir).lexically_normal();
  if (index.filename().empty()) index = index.parent_path();
  return index.parent_path() / ("." + index.filename().string() + ".building");
}

// Puts the directory `fresh` in the place of `dir` and `dir` in the place of `fresh`, in one
// step where the kernel supports it, so a reader sees the old index or the new one.
void exchange_directories(const fs::path& fresh, const fs::path& dir) {
  if (renameat2(AT_FDCWD, fresh.c_str(), AT_FDCWD, dir.c_str(), RENAME_EXCHANGE) == 0) return;
  const fs::path old = fresh.string() + ".old";
  std::error_code ec;
  fs::rename(dir, old, ec);
  if (!ec) fs::rename(fresh, dir, ec);
  if (!ec) fs::rename(old, fresh, ec);
  if (ec) {
    throw Error(ErrorCode::kIo,
                dir.string() + ": cannot move the new index into place (" + ec.message() + ")");
  }
}

unsigned build_threads(unsigned requested) {
  if (requested > 0) return requested;
  if (const char* env = std::getenv("CONCORD_INDEX_THREADS")) {
    const int n = std::atoi(env);
    if (n > 0) return static_cast<unsigned>(n);
  }
  return std::clamp(std::thread::hardware_concurrency(), 1U, 4U);
}

}  // namespace

struct IndexWriter::Impl {
  fs::path dir;
  Xapian::WritableDatabase db;
  index::DocumentBuilder builder;
  index::Vocabulary vocabulary;
  std::uint64_t pending = 0;
  std::string run_started = utc_now();

  // A new index is built in parallel until its first commit; then the writer continues
  // serially on the merged database.
  std::unique_ptr<index::ParallelBuild> parallel;
  std::map<std::string, DocumentInfo, std::less<>> parallel_records;  // what was put, by id
  std::map<std::string, std::string> metadata;                        // stamped on the parts

  Impl(fs::path d, Xapian::WritableDatabase database, const std::string& stem_language,
       const index::WordPairs& pairs)
      : dir(std::move(d)), db(std::move(database)), builder(stem_language, pairs) {}

  ~Impl() {
    try {
      db.cancel_transaction();  // uncommitted changes never reach the disk's visible revision
      db.close();
    } catch (const Xapian::Error&) {
      // Nothing useful to do while unwinding; the last committed revision stays intact.
    }
  }

  std::optional<Xapian::docid> find_record(std::string_view doc_id) {
    const std::string t = schema::bounded_term(schema::kDocumentId, doc_id);
    auto it = db.postlist_begin(t);
    if (it == db.postlist_end(t)) return std::nullopt;
    return *it;
  }
};

IndexWriter::IndexWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
IndexWriter::IndexWriter(IndexWriter&&) noexcept = default;
IndexWriter& IndexWriter::operator=(IndexWriter&&) noexcept = default;
IndexWriter::~IndexWriter() = default;

IndexWriter IndexWriter::open(const fs::path& dir, const std::string& stem_language,
                              unsigned threads) {
  check_index_directory(dir);
  try {
    Xapian::WritableDatabase db(dir.string(), Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS);
    const std::string version = db.get_metadata(std::string(schema::kVersionKey));
    std::string language = db.get_metadata(std::string(schema::kStemmerKey));
    index::WordPairs pairs = index::WordPairs::of(db);
    if (version.empty() && db.get_doccount() == 0) {
      pairs = index::WordPairs::for_new_index(stem_language);
      db.set_metadata(std::string(schema::kVersionKey), std::string(schema::kVersion));
      db.set_metadata(std::string(schema::kStemmerKey), stem_language);
      db.set_metadata(std::string(schema::kWordPairsKey), pairs.metadata());
      db.commit();
      language = stem_language;
    } else if (version != schema::kVersion) {
      throw Error(ErrorCode::kCorrupt,
                  dir.string() + ": index was written by an incompatible Concord (schema '" +
                      version + "', this build reads '" + std::string(schema::kVersion) +
                      "'); rebuild it with: concord index --rebuild --index " + dir.string() +
                      " PATH...");
    }
    const bool empty = db.get_doccount() == 0;
    db.begin_transaction(true);
    auto impl = std::make_unique<Impl>(dir, std::move(db), language, pairs);
    if (const unsigned workers = build_threads(threads); empty && workers > 1) {
      impl->metadata = {{std::string(schema::kVersionKey), std::string(schema::kVersion)},
                        {std::string(schema::kStemmerKey), language},
                        {std::string(schema::kWordPairsKey), pairs.metadata()}};
      impl->parallel = std::make_unique<index::ParallelBuild>(staging_directory(dir), workers,
                                                              language, pairs, impl->run_started);
    }
    return IndexWriter(std::move(impl));
  } catch (const Xapian::Error& e) {
    xapian_util::rethrow(e, dir.string());
  }
}

IndexWriter IndexWriter::rebuild(const fs::path& dir, const std::string& stem_language,
                                 unsigned threads) {
  check_index_directory(dir);
  try {
    // Opened only to hold Xapian's writer lock until the new index replaces it.
    Xapian::WritableDatabase db(dir.string(), Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS);
    db.begin_transaction(true);
    const auto pairs = index::WordPairs::for_new_index(stem_language);
    auto impl = std::make_unique<Impl>(dir, std::move(db), stem_language, pairs);
    impl->metadata = {{std::string(schema::kVersionKey), std::string(schema::kVersion)},
                      {std::string(schema::kStemmerKey), stem_language},
                      {std::string(schema::kWordPairsKey), pairs.metadata()}};
    impl->parallel = std::make_unique<index::ParallelBuild>(
        staging_directory(dir), build_threads(threads), stem_language, pairs, impl->run_started);
    return IndexWriter(std::move(impl));
  } catch (const Xapian::Error& e) {
    xapian_util::rethrow(e, dir.string());
  }
}

std::optional<DocumentInfo> IndexWriter::find(std::string_view doc_id) const {
  if (impl_->parallel) {
    const auto it = impl_->parallel_records.find(doc_id);
    if (it == impl_->parallel_records.end()) return std::nullopt;
    return it->second;
  }
  try {
    const auto did = impl_->find_record(doc_id);
    if (!did) return std::nullopt;
    return records::decode_document(impl_->db.get_document(*did).get_data());
  } catch (const Xapian::Error& e) {
    xapian_util::rethrow(e, impl_->dir.string());
  }
}

std::vector<DocumentInfo> IndexWriter::documents() const {
  std::vector<DocumentInfo> out;
  if (impl_->parallel) {
    for (const auto& [id, info] : impl_->parallel_records) out.push_back(info);
    return out;
  }
  try {
    const std::string kind(schema::kDocumentKind);
    for (auto it = impl_->db.postlist_begin(kind); it != impl_->db.postlist_end(kind); ++it) {
      out.push_back(records::decode_document(impl_->db.get_document(*it).get_data()));
    }
  } catch (const Xapian::Error& e) {
    xapian_util::rethrow(e, impl_->dir.string());
  }
  return out;
}

void IndexWriter::put(const Paper& paper, const std::string& fingerprint, const PaperTags& tags) {
  if (impl_->parallel) {
    // What find() and documents() need during the run; the full record is built by the worker.
    DocumentInfo info;
    info.meta = paper.meta;
    info.paragraph_count = static_cast<std::uint32_t>(paper.paragraphs.size());
    info.source_path = paper.source_path;
    info.format = paper.format;
    info.fingerprint = fingerprint;
    info.indexed_at = impl_->run_started;
    impl_->parallel->put(paper, fingerprint, tags);
    impl_->parallel_records.insert_or_assign(paper.meta.id, std::move(info));
    impl_->pending += paper.paragraphs.size() + 1;
    return;
  }
  index::BuiltPaper built = impl_->builder.build(paper, fingerprint, tags, impl_->run_started);
  try {
    remove(paper.meta.id);
    for (auto& doc : built.paragraphs) impl_->db.add_document(doc);
    impl_->db.add_document(built.record);
    impl_->vocabulary.add(built.words, &impl_->db);
    impl_->pending += built.paragraphs.size() + 1;
  } catch (const Xapian::Error& e) {
    xapian_util::rethrow(e, impl_->dir.string() + ": writing " + paper.meta.id);
  }
}

bool IndexWriter::remove(std::string_view doc_id) {
  if (impl_->parallel) {
    const auto it = impl_->parallel_records.find(doc_id);
    if (it == impl_->parallel_records.end()) return false;
    impl_->parallel_records.erase(it);
    impl_->parallel->remove(std::string(doc_id));
    ++impl_->pending;
    return true;
  }
  try {
    if (!impl_->find_record(doc_id)) return false;
    impl_->db.delete_document(schema::bounded_term(schema::kDoc, doc_id));
    impl_->db.delete_document(schema::bounded_term(schema::kDocumentId, doc_id));
    ++impl_->pending;
    return true;
  } catch (const Xapian::Error& e) {
    xapian_util::rethrow(e, impl_->dir.string() + ": removing " + std::string(doc_id));
  }
}

void IndexWriter::commit() {
  if (impl_->parallel) {
    commit_parallel_build();
    return;
  }
  try {
    impl_->vocabulary.flush(impl_->db);
    impl_->db.commit_transaction();
  } catch (const Xapian::Error& e) {
    // A failed commit (disk full) leaves the previous revision as the visible one.
    try {
      impl_->db.cancel_transaction();
    } catch (const Xapian::Error&) {
    }
    xapian_util::rethrow(e, impl_->dir.string() + ": commit failed, index left as it was");
  }
  // Xapian fsyncs its files; the directory entries of a new revision need their own fsync.
  xapian_util::fsync_directory(impl_->dir.string());
  detail::log().debug("committed {} changes to {}", impl_->pending, impl_->dir.string());
  impl_->pending = 0;
  try {
    impl_->db.begin_transaction(true);
  } catch (const Xapian::Error& e) {
    xapian_util::rethrow(e, impl_->dir.string());
  }
}

// The index directory holds an empty database until the merged one replaces it, so a crash
// at any point before the exchange leaves the index as it was (empty); the staging
// directory is cleared by the next build.
void IndexWriter::commit_parallel_build() {
  Impl& impl = *impl_;
  const auto finishing = std::chrono::steady_clock::now();
  const auto parts = impl.parallel->finish(impl.metadata);
  const auto merging = std::chrono::steady_clock::now();
  const fs::path merged = impl.parallel->staging() / "merged";
  index::ParallelBuild::merge(parts, merged);
  const auto seconds = [](auto from, auto to) {
    return std::chrono::duration<double>(to - from).count();
  };
  detail::log().debug("waited {:.1f} s for the workers, merged {} segments in {:.1f} s",
                      seconds(finishing, merging), parts.size(),
                      seconds(merging, std::chrono::steady_clock::now()));
  xapian_util::fsync_directory(merged.string());
  try {
    impl.db.cancel_transaction();
    impl.db.close();
  } catch (const Xapian::Error& e) {
    xapian_util::rethrow(e, impl.dir.string());
  }
  exchange_directories(merged, impl.dir);
  xapian_util::fsync_directory(fs::absolute(impl.dir).lexically_normal().parent_path().string());
  detail::log().debug("merged index in place at {}", impl.dir.string());
  impl.parallel.reset();  // deletes the staging directory, with the empty database
  impl.parallel_records.clear();
  impl.pending = 0;
  try {
    impl.db =
        Xapian::WritableDatabase(impl.dir.string(), Xapian::DB_OPEN | Xapian::DB_BACKEND_GLASS);
    impl.db.begin_transaction(true);
  } catch (const Xapian::Error& e) {
    xapian_util::rethrow(e, impl.dir.string());
  }
}

std::uint64_t IndexWriter::pending_changes() const {
  return impl_->pending;
}
std::uint64_t IndexWriter::paragraph_count() const {
  if (impl_->parallel) {
    std::uint64_t n = 0;
    for (const auto& [id, info] : impl_->parallel_records) n += info.paragraph_count;
    return n;
  }
  return impl_->db.get_termfreq(std::string(schema::kParagraphKind));
}
std::uint64_t IndexWriter::document_count() const {
  if (impl_->parallel) return impl_->parallel_records.size();
  return impl_->db.get_termfreq(std::string(schema::kDocumentKind));
}
const fs::path& IndexWriter::path() const {
  return impl_->dir;
}

void IndexWriter::set_tagging_data(const std::string& taxonomy_source,
                                   const std::string& gazetteer_source) {
  const std::string tkey(schema::kTaxonomyKey), gkey(schema::kGazetteerKey);
  if (impl_->parallel) {
    impl_->metadata[tkey] = taxonomy_source;
    impl_->metadata[gkey] = gazetteer_source;
    return;
  }
  try {
    if (impl_->db.get_metadata(tkey) != taxonomy_source)
      impl_->db.set_metadata(tkey, taxonomy_source);
    if (impl_->db.get_metadata(gkey) != gazetteer_source)
      impl_->db.set_metadata(gkey, gazetteer_source);
  } catch (const Xapian::Error& e) {
    xapian_util::rethrow(e, impl_->dir.string());
  }
}

}  // namespace concord
