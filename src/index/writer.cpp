// IndexWriter: one Xapian transaction from open (or the last commit) to the next commit.
#include <chrono>
#include <ctime>
#include <filesystem>

#include "concord/error.hpp"
#include "concord/index.hpp"
#include "document_builder.hpp"
#include "logging.hpp"
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

}  // namespace

struct IndexWriter::Impl {
  fs::path dir;
  Xapian::WritableDatabase db;
  index::DocumentBuilder builder;
  std::uint64_t pending = 0;
  std::string run_started = utc_now();

  Impl(fs::path d, Xapian::WritableDatabase database, const std::string& stem_language)
      : dir(std::move(d)), db(std::move(database)), builder(stem_language) {}

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

IndexWriter IndexWriter::open(const fs::path& dir, const std::string& stem_language) {
  check_index_directory(dir);
  try {
    Xapian::WritableDatabase db(dir.string(), Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS);
    const std::string version = db.get_metadata(std::string(schema::kVersionKey));
    std::string language = db.get_metadata(std::string(schema::kStemmerKey));
    if (version.empty() && db.get_doccount() == 0) {
      db.set_metadata(std::string(schema::kVersionKey), std::string(schema::kVersion));
      db.set_metadata(std::string(schema::kStemmerKey), stem_language);
      db.commit();
      language = stem_language;
    } else if (version != schema::kVersion) {
      throw Error(ErrorCode::kCorrupt,
                  dir.string() + ": index was written by an incompatible Concord (schema '" +
                      version + "', this build reads '" + std::string(schema::kVersion) +
                      "'); index into a new directory");
    }
    db.begin_transaction(true);
    return IndexWriter(std::make_unique<Impl>(dir, std::move(db), language));
  } catch (const Xapian::Error& e) {
    xapian_util::rethrow(e, dir.string());
  }
}

std::optional<DocumentInfo> IndexWriter::find(std::string_view doc_id) const {
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
  index::BuiltPaper built = impl_->builder.build(paper, fingerprint, tags, impl_->run_started);
  try {
    remove(paper.meta.id);
    for (auto& doc : built.paragraphs) impl_->db.add_document(doc);
    impl_->db.add_document(built.record);
    impl_->pending += built.paragraphs.size() + 1;
  } catch (const Xapian::Error& e) {
    xapian_util::rethrow(e, impl_->dir.string() + ": writing " + paper.meta.id);
  }
}

bool IndexWriter::remove(std::string_view doc_id) {
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
  try {
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

std::uint64_t IndexWriter::pending_changes() const {
  return impl_->pending;
}
std::uint64_t IndexWriter::paragraph_count() const {
  return impl_->db.get_termfreq(std::string(schema::kParagraphKind));
}
std::uint64_t IndexWriter::document_count() const {
  return impl_->db.get_termfreq(std::string(schema::kDocumentKind));
}
const fs::path& IndexWriter::path() const {
  return impl_->dir;
}

void IndexWriter::set_tagging_data(const std::string& taxonomy_source,
                                   const std::string& gazetteer_source) {
  try {
    const std::string tkey(schema::kTaxonomyKey), gkey(schema::kGazetteerKey);
    if (impl_->db.get_metadata(tkey) != taxonomy_source)
      impl_->db.set_metadata(tkey, taxonomy_source);
    if (impl_->db.get_metadata(gkey) != gazetteer_source)
      impl_->db.set_metadata(gkey, gazetteer_source);
  } catch (const Xapian::Error& e) {
    xapian_util::rethrow(e, impl_->dir.string());
  }
}

}  // namespace concord
