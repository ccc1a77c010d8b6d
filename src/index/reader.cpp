// IndexReader: opening local or remote shards as one database and reading records back.
#include <sys/stat.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>

#include "concord/enrich.hpp"
#include "concord/error.hpp"
#include "concord/index.hpp"
#include "logging.hpp"
#include "reader_impl.hpp"
#include "records.hpp"
#include "schema.hpp"
#include "xapian_util.hpp"

namespace concord {

namespace fs = std::filesystem;

namespace {

constexpr unsigned kRemoteTimeoutMs = 10000;
constexpr unsigned kConnectTimeoutMs = 2000;

Xapian::Database open_shard(const std::string& shard) {
  constexpr std::string_view kTcp = "tcp://";
  if (shard.compare(0, kTcp.size(), kTcp) == 0) {
    const std::string rest = shard.substr(kTcp.size());
    const std::size_t colon = rest.rfind(':');
    unsigned port = 0;
    if (colon == std::string::npos ||
        std::from_chars(rest.data() + colon + 1, rest.data() + rest.size(), port).ec !=
            std::errc() ||
        port == 0 || port > 65535) {
      throw Error(ErrorCode::kInvalidArgument, "shard '" + shard + "': expected tcp://HOST:PORT");
    }
    return Xapian::Remote::open(rest.substr(0, colon), port, kRemoteTimeoutMs, kConnectTimeoutMs);
  }
  std::error_code ec;
  if (!fs::exists(shard, ec)) {
    throw Error(
        ErrorCode::kNotFound,
        "no index at " + shard + " (create one with: concord index --index " + shard + " PATH...)");
  }
  if (fs::is_directory(shard, ec) && !fs::exists(fs::path(shard) / "iamglass", ec)) {
    throw Error(ErrorCode::kCorrupt, shard + ": not a Concord index (no Xapian database here)");
  }
  return Xapian::Database(shard);
}

std::pair<std::uint64_t, std::uint64_t> shard_identity_of(const std::string& shard) {
  struct stat st {};
  if (shard.rfind("tcp://", 0) == 0 || ::stat(shard.c_str(), &st) != 0) return {0, 0};
  return {st.st_dev, st.st_ino};
}

}  // namespace

std::vector<std::pair<std::string, std::string>> read_stub(const fs::path& stub) {
  std::vector<std::pair<std::string, std::string>> out;
  std::ifstream in(stub);
  std::string line;
  while (std::getline(in, line)) {
    const std::size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line[start] == '#') continue;  // Xapian's comments
    const std::size_t space = line.find_first_of(" \t", start);
    if (space == std::string::npos) continue;
    const std::size_t target = line.find_first_not_of(" \t", space);
    if (target == std::string::npos) continue;
    std::size_t end = line.find_last_not_of(" \t\r");
    out.emplace_back(line.substr(start, space - start), line.substr(target, end + 1 - target));
  }
  return out;
}

namespace {

// Replaces a sharded index directory by its shards, as listed in its stub file: lines
// "glass PATH" or "auto PATH" (relative to the directory) and "remote HOST:PORT".
std::vector<std::string> expand(const IndexLocation& location) {
  std::vector<std::string> out;
  for (const auto& entry : location.shards) {
    const fs::path stub = fs::path(entry) / kShardStubFile;
    std::error_code ec;
    if (entry.rfind("tcp://", 0) == 0 || !fs::is_regular_file(stub, ec) ||
        fs::exists(fs::path(entry) / "iamglass", ec)) {
      out.push_back(entry);
      continue;
    }
    for (const auto& [kind, target] : read_stub(stub)) {
      if (kind == "remote") {
        out.push_back("tcp://" + target);
      } else {
        out.push_back((fs::path(entry) / target).lexically_normal().string());
      }
    }
  }
  return out;
}

}  // namespace

void IndexReader::Impl::connect() {
  shards = expand(location);
  shard_identity.clear();
  for (const auto& shard : shards) shard_identity.push_back(shard_identity_of(shard));
  Xapian::Database combined;
  std::vector<std::string> missing;
  for (const auto& shard : shards) {
    try {
      try {
        combined.add_database(open_shard(shard));
      } catch (const Xapian::Error& e) {
        xapian_util::rethrow(e, shard);
      }
    } catch (const Error& e) {
      const bool unreachable =
          e.code() == ErrorCode::kUnavailable || e.code() == ErrorCode::kNotFound;
      if (shards.size() == 1 || !unreachable) throw;
      missing.push_back(shard);
    }
  }
  if (!missing.empty() && missing.size() == shards.size()) {
    throw Error(ErrorCode::kUnavailable, "no shard of the index is reachable (" + missing.front() +
                                             (missing.size() > 1 ? ", ..." : "") + ")");
  }
  db = std::move(combined);
  unavailable = std::move(missing);
  connected_at = std::chrono::steady_clock::now();
  forget_caches();
}

Xapian::Document IndexReader::Impl::document_by_term(const std::string& unique_term) {
  return xapian_util::with_retry(db, [&](Xapian::Database& d) {
    auto it = d.postlist_begin(unique_term);
    if (it == d.postlist_end(unique_term)) return Xapian::Document();
    return d.get_document(*it);
  });
}

IndexReader::IndexReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
IndexReader::IndexReader(IndexReader&&) noexcept = default;
IndexReader& IndexReader::operator=(IndexReader&&) noexcept = default;
IndexReader::~IndexReader() = default;

IndexReader IndexReader::open(const IndexLocation& location) {
  if (location.shards.empty()) throw Error(ErrorCode::kInvalidArgument, "no index given");
  auto impl = std::make_unique<Impl>();
  impl->location = location;
  impl->connect();
  try {
    const std::string version = impl->db.get_metadata(std::string(schema::kVersionKey));
    if (!version.empty() && version != schema::kVersion) {
      throw Error(ErrorCode::kCorrupt, location.shards.front() +
                                           ": index was written by an incompatible Concord "
                                           "(schema '" +
                                           version + "'); rebuild it with concord index --rebuild");
    }
    const std::string language = impl->db.get_metadata(std::string(schema::kStemmerKey));
    if (!language.empty()) impl->stem_language = language;
  } catch (const Xapian::Error& e) {
    xapian_util::rethrow(e, location.shards.front());
  }
  return IndexReader(std::move(impl));
}

bool IndexReader::reopen() {
  Impl& impl = *impl_;
  // A retry of unreachable shards costs a connection attempt, so not on every request.
  constexpr auto kRetryUnavailable = std::chrono::seconds(5);
  std::vector<std::pair<std::uint64_t, std::uint64_t>> identity;
  const auto shards = expand(impl.location);
  for (const auto& shard : shards) identity.push_back(shard_identity_of(shard));
  if (shards != impl.shards || identity != impl.shard_identity ||
      (!impl.unavailable.empty() &&
       std::chrono::steady_clock::now() - impl.connected_at > kRetryUnavailable)) {
    impl.connect();
    return true;
  }
  try {
    const bool changed = impl.db.reopen();
    if (changed) impl.forget_caches();
    return changed;
  } catch (const Xapian::NetworkError&) {
    impl.connect();  // a remote shard went away: go on with the others
    return true;
  } catch (const Xapian::Error& e) {
    xapian_util::rethrow(e, "reopening index");
  }
}

const std::vector<std::string>& IndexReader::unavailable_shards() const {
  return impl_->unavailable;
}

void IndexReader::recover() {
  impl_->connect();
}

IndexLocation IndexLocation::parse(std::string_view spec) {
  IndexLocation location;
  // A directory whose name has a comma ("Reports, 2023") is one index, as `concord index`
  // wrote it, not a list of shards.
  if (std::error_code ec; spec.find(',') != std::string_view::npos && fs::exists(spec, ec)) {
    location.shards.emplace_back(spec);
    return location;
  }
  std::size_t start = 0;
  while (start <= spec.size()) {
    std::size_t end = spec.find(',', start);
    if (end == std::string_view::npos) end = spec.size();
    std::string_view entry = spec.substr(start, end - start);
    while (!entry.empty() && entry.front() == ' ') entry.remove_prefix(1);
    while (!entry.empty() && entry.back() == ' ') entry.remove_suffix(1);
    if (!entry.empty()) location.shards.emplace_back(entry);
    start = end + 1;
  }
  if (location.shards.empty()) throw Error(ErrorCode::kInvalidArgument, "no index given");
  return location;
}

std::vector<DocumentInfo> IndexReader::documents() const {
  try {
    return xapian_util::with_retry(impl_->db, [](Xapian::Database& db) {
      std::vector<DocumentInfo> out;
      const std::string kind(schema::kDocumentKind);
      for (auto it = db.postlist_begin(kind); it != db.postlist_end(kind); ++it) {
        out.push_back(records::decode_document(db.get_document(*it).get_data()));
      }
      std::sort(out.begin(), out.end(),
                [](const DocumentInfo& a, const DocumentInfo& b) { return a.meta.id < b.meta.id; });
      return out;
    });
  } catch (const Xapian::Error& e) {
    xapian_util::rethrow(e, "listing documents");
  }
}

std::optional<DocumentInfo> IndexReader::document(std::string_view doc_id) const {
  try {
    const Xapian::Document doc =
        impl_->document_by_term(schema::bounded_term(schema::kDocumentId, doc_id));
    if (doc.get_docid() == 0) return std::nullopt;
    return records::decode_document(doc.get_data());
  } catch (const Xapian::Error& e) {
    xapian_util::rethrow(e, "reading document " + std::string(doc_id));
  }
}

std::optional<ParagraphRecord> IndexReader::paragraph(std::string_view paragraph_id) const {
  // "<doc id>:<ordinal>": found through the paper and the ordinal, not a term of its own.
  const std::size_t colon = paragraph_id.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  std::uint32_t ordinal = 0;
  const std::string_view number = paragraph_id.substr(colon + 1);
  const auto parsed = std::from_chars(number.data(), number.data() + number.size(), ordinal);
  if (parsed.ec != std::errc() || parsed.ptr != number.data() + number.size() || ordinal == 0) {
    return std::nullopt;
  }
  auto found = paragraphs(paragraph_id.substr(0, colon), ordinal, ordinal);
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

std::vector<ParagraphRecord> IndexReader::paragraphs(std::string_view doc_id, std::uint32_t first,
                                                     std::uint32_t last) const {
  if (first > last) return {};
  try {
    return xapian_util::with_retry(impl_->db, [&](Xapian::Database& db) {
      Xapian::Enquire enquire(db);
      const Xapian::Query by_doc(schema::bounded_term(schema::kDoc, doc_id));
      const Xapian::Query in_range(Xapian::Query::OP_VALUE_RANGE, schema::kSlotOrder,
                                   schema::order_key(doc_id, first),
                                   schema::order_key(doc_id, last));
      enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, by_doc, in_range));
      enquire.set_weighting_scheme(Xapian::BoolWeight());
      enquire.set_sort_by_value(schema::kSlotOrder, false);
      const Xapian::MSet mset = enquire.get_mset(0, last - first + 1);
      std::vector<ParagraphRecord> out;
      for (auto it = mset.begin(); it != mset.end(); ++it) {
        out.push_back(records::decode_paragraph(it.get_document().get_data()));
      }
      return out;
    });
  } catch (const Xapian::Error& e) {
    xapian_util::rethrow(e, "reading paragraphs of " + std::string(doc_id));
  }
}

std::uint64_t IndexReader::paragraph_count() const {
  return xapian_util::with_retry(impl_->db, [](Xapian::Database& db) {
    return static_cast<std::uint64_t>(db.get_termfreq(std::string(schema::kParagraphKind)));
  });
}

std::uint64_t IndexReader::document_count() const {
  return xapian_util::with_retry(impl_->db, [](Xapian::Database& db) {
    return static_cast<std::uint64_t>(db.get_termfreq(std::string(schema::kDocumentKind)));
  });
}

const IndexLocation& IndexReader::location() const {
  return impl_->location;
}
std::string IndexReader::stem_language() const {
  return impl_->stem_language;
}

std::shared_ptr<const Taxonomy> IndexReader::taxonomy() const {
  if (!impl_->taxonomy) {
    const std::string text = xapian_util::with_retry(impl_->db, [](Xapian::Database& db) {
      return db.get_metadata(std::string(schema::kTaxonomyKey));
    });
    impl_->taxonomy =
        text.empty() ? Taxonomy::builtin()
                     : std::make_shared<const Taxonomy>(Taxonomy::parse(text, "index taxonomy"));
  }
  return impl_->taxonomy;
}

std::shared_ptr<const Gazetteer> IndexReader::gazetteer() const {
  if (!impl_->gazetteer) {
    const std::string text = xapian_util::with_retry(impl_->db, [](Xapian::Database& db) {
      return db.get_metadata(std::string(schema::kGazetteerKey));
    });
    impl_->gazetteer =
        text.empty() ? Gazetteer::builtin()
                     : std::make_shared<const Gazetteer>(Gazetteer::parse(text, "index gazetteer"));
  }
  return impl_->gazetteer;
}

std::shared_ptr<const IndexReader::DocumentTable> IndexReader::document_table() const {
  if (!impl_->documents) {
    auto table = std::make_shared<DocumentTable>();
    for (auto& info : documents()) {
      std::string id = info.meta.id;
      table->emplace(std::move(id), std::move(info));
    }
    impl_->documents = std::move(table);
  }
  return impl_->documents;
}

void IndexReader::keep_facets_in_memory(bool keep) {
  impl_->keep_columns = keep;
  if (!keep) impl_->columns.clear();
}

std::optional<Xapian::Database> IndexReader::Impl::open_copy() const {
  if (shards.size() != 1 || shards.front().rfind("tcp://", 0) == 0) return std::nullopt;
  try {
    Xapian::Database copy(shards.front());
    // `concord index --rebuild` swaps in another database (another UUID) at the same path.
    if (copy.get_uuid() != db.get_uuid() || copy.get_revision() != db.get_revision()) {
      return std::nullopt;
    }
    return copy;
  } catch (const Xapian::Error& e) {
    detail::log().debug("no second handle on {}: {}", shards.front(), e.get_msg());
    return std::nullopt;
  }
}

std::shared_ptr<const ValueColumn> IndexReader::Impl::column(Xapian::valueno slot) const {
  // Inside Xapian 1.4's matcher a match spy sees each shard's own document ids, with no way
  // to tell which shard it is in, so a column indexed by document id only serves a single
  // local database. Remote shards could not ship one anyway.
  if (!keep_columns || shards.size() != 1 || shards.front().rfind("tcp://", 0) == 0) return nullptr;
  auto& cached = columns[slot];
  if (!cached) {
    const auto started = std::chrono::steady_clock::now();
    cached = std::make_shared<const ValueColumn>(ValueColumn::read(db, slot));
    detail::log().debug(
        "facet slot {} in memory: {} values, {} KiB, read in {:.1f} ms", slot, cached->table.size(),
        cached->memory_bytes() / 1024,
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count());
  }
  return cached;
}

}  // namespace concord
