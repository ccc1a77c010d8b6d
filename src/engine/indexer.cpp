// The indexing pipeline: collect files, skip unchanged ones, parse, tag, write, commit.
#include "concord/indexer.hpp"

#include <chrono>
#include <map>
#include <optional>
#include <set>

#include "concord/enrich.hpp"
#include "concord/error.hpp"
#include "concord/index.hpp"
#include "concord/text.hpp"
#include "logging.hpp"
#include "shard_writers.hpp"

namespace concord {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string short_hash(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (const char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ull;
  }
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%06llx", static_cast<unsigned long long>(h & 0xFFFFFF));
  return buffer;
}

// The id a paper will get without parsing it: the sidecar's, the table's, else the file name's.
std::string expected_id(const SourceFile& source, const DocumentMeta* table) {
  if (source.sidecar) {
    const DocumentMeta meta = parse_sidecar(source.sidecar_bytes, source.sidecar->string());
    if (!meta.id.empty()) return meta.id;
  }
  if (table != nullptr && !table->id.empty()) return table->id;
  std::string id = slugify(source.path.stem().string());
  return id.empty() ? "doc-" + source.fingerprint.substr(0, 8) : id;
}

std::string row_hash(const DocumentMeta& m) {
  std::string all = m.id + "\x1f" + m.title + "\x1f" + m.issuer + "\x1f" + m.date + "\x1f" +
                    m.place + "\x1f" + m.language + "\x1f" + m.country + "\x1f" + m.type;
  for (const auto& [k, v] : m.extra) all += "\x1f" + k + "=" + v;
  return short_hash(all);
}

bool is_under(const fs::path& file, const fs::path& root) {
  const auto rel = file.lexically_relative(root);
  return !rel.empty() && *rel.begin() != "..";
}

// A failure of the index (a full disk, a broken database) is not the current file's: it
// ends the run before the commit instead of being reported as one failed file.
struct IndexFailure {
  Error error;
};
template <typename Fn>
auto index_step(Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const Error& e) {
    throw IndexFailure{e};
  }
}

// The id a file's paper gets: its own, unless another existing file already owns that id.
std::string claim_id(const std::string& wanted, const std::string& source,
                     engine::ShardWriters& writer, std::map<std::string, std::string>& claimed) {
  const auto owner_of = [&](const std::string& id) -> std::string {
    if (const auto it = claimed.find(id); it != claimed.end()) return it->second;
    if (const auto existing = index_step([&] { return writer.find(id); }))
      return existing->source_path;
    return {};
  };
  std::string id = wanted;
  const std::string owner = owner_of(id);
  std::error_code ec;
  if (!owner.empty() && owner != source && fs::exists(owner, ec)) {
    id = wanted + "-" + short_hash(source);
  }
  claimed[id] = source;
  return id;
}

void count(IndexReport& report, const FileOutcome& outcome) {
  switch (outcome.status) {
    case FileOutcome::Status::kAdded:
      ++report.added;
      break;
    case FileOutcome::Status::kUpdated:
      ++report.updated;
      break;
    case FileOutcome::Status::kUnchanged:
      ++report.unchanged;
      break;
    case FileOutcome::Status::kRemoved:
      ++report.removed;
      break;
    case FileOutcome::Status::kFailed:
      ++report.failed;
      break;
  }
}

}  // namespace

namespace {

// The taxonomy and gazetteer an existing index was tagged with; nulls when there is no
// readable index (a new one, or one of an older schema about to be rebuilt).
std::pair<std::shared_ptr<const Taxonomy>, std::shared_ptr<const Gazetteer>> stored_tagging_data(
    const fs::path& index_dir) {
  std::error_code ec;
  if (!fs::exists(index_dir / "iamglass", ec) && !fs::exists(index_dir / kShardStubFile, ec)) {
    return {};
  }
  try {
    const IndexReader reader = IndexReader::open(IndexLocation::directory(index_dir));
    return {reader.taxonomy(), reader.gazetteer()};
  } catch (const Error& e) {
    detail::log().debug("{}: no stored tagging data ({})", index_dir.string(), e.what());
    return {};
  }
}

IndexReport index_files(const IndexRunOptions& options, const ProgressCallback& progress) {
  const auto started = Clock::now();
  IndexReport report;
  std::vector<std::string> missing;
  const std::vector<CollectedFile> files =
      collect_files(options.inputs, options.selection, missing);
  for (const auto& m : missing) {
    FileOutcome outcome;
    outcome.path = m.substr(0, m.rfind(": "));
    outcome.message = m;
    report.files.push_back(outcome);
    count(report, outcome);
  }

  // Bad tagging data is the user's error; report it before touching the index.
  std::shared_ptr<const Taxonomy> taxonomy;
  std::shared_ptr<const Gazetteer> gazetteer;
  std::optional<MetadataTable> table;
  try {
    // Without --taxonomy/--gazetteer an existing index keeps the ones it was tagged with: a
    // plain re-run must not quietly re-tag every changed paper with the built-in data.
    // "builtin" asks for the built-in data explicitly.
    const auto stored = stored_tagging_data(options.index_dir);
    if (options.taxonomy_path == "builtin") {
      taxonomy = Taxonomy::builtin();
    } else if (!options.taxonomy_path.empty()) {
      taxonomy = std::make_shared<const Taxonomy>(Taxonomy::load(options.taxonomy_path));
    } else {
      taxonomy = stored.first ? stored.first : Taxonomy::builtin();
    }
    if (options.gazetteer_path == "builtin") {
      gazetteer = Gazetteer::builtin();
    } else if (!options.gazetteer_path.empty()) {
      gazetteer = std::make_shared<const Gazetteer>(Gazetteer::load(options.gazetteer_path));
    } else {
      gazetteer = stored.second ? stored.second : Gazetteer::builtin();
    }
    if (!options.metadata_table.empty()) table = MetadataTable::load(options.metadata_table);
  } catch (const Error& e) {
    throw Error(ErrorCode::kInvalidArgument, e.what());
  }
  const std::string tagging = tagging_fingerprint(*taxonomy, *gazetteer);

  engine::ShardWriters writer(options.index_dir, options.stem_language, options.shards,
                              options.rebuild);
  writer.set_tagging_data(taxonomy->source(), gazetteer->source());
  Tagger tagger(taxonomy, gazetteer, options.stem_language);
  std::map<std::string, std::string> claimed;  // doc id -> source path, this run
  std::set<std::string> seen_sources;
  IndexProgress state;
  state.files_total = files.size();

  for (const auto& file : files) {
    FileOutcome outcome;
    outcome.path = file.path.string();
    state.current = outcome.path;
    seen_sources.insert(outcome.path);
    try {
      SourceFile source = load_source(file.path, options.ingest);
      report.bytes_read += source.bytes.size();
      state.bytes += source.bytes.size();
      const DocumentMeta* row = table ? table->find(file.path, file.root) : nullptr;
      // An unchanged file is recognised by its fingerprint before any parsing.
      std::string id = claim_id(expected_id(source, row), source.path.string(), writer, claimed);
      // The fingerprint covers the file, its sidecar, its table row and the tagging data.
      const std::string fingerprint =
          source.fingerprint + "-" + tagging + (row ? "-" + row_hash(*row) : "");
      auto existing = index_step([&] { return writer.find(id); });
      const bool unchanged = existing && existing->fingerprint == fingerprint &&
                             existing->source_path == source.path.string() && !options.force;
      if (unchanged) {
        outcome.status = FileOutcome::Status::kUnchanged;
        outcome.doc_id = id;
        outcome.paragraphs = existing->paragraph_count;
      } else {
        Paper paper = parse_source(source, options.ingest, row);
        if (paper.meta.id != expected_id(source, row)) {
          // Front matter named the paper: claim that id instead.
          claimed.erase(id);
          id = claim_id(paper.meta.id, source.path.string(), writer, claimed);
          existing = index_step([&] { return writer.find(id); });
        }
        paper.meta.id = id;
        const PaperTags tags = tagger.tag(paper);
        index_step([&] { writer.put(paper, fingerprint, tags); });
        outcome.status = existing ? FileOutcome::Status::kUpdated : FileOutcome::Status::kAdded;
        outcome.doc_id = id;
        outcome.paragraphs = static_cast<std::uint32_t>(paper.paragraphs.size());
        outcome.warnings = paper.warnings;
        report.paragraphs_written += paper.paragraphs.size();
        state.paragraphs += paper.paragraphs.size();
        for (const auto& w : paper.warnings) detail::log().warn("{}: {}", outcome.path, w);
      }
    } catch (const Error& e) {
      // Problems with one file are that file's; problems with the index end the run.
      if (e.code() != ErrorCode::kInvalidInput && e.code() != ErrorCode::kIo) throw;
      outcome.status = FileOutcome::Status::kFailed;
      outcome.message = e.what();
      detail::log().error("{}", e.what());
    }
    if (outcome.status != FileOutcome::Status::kFailed) {  // failures were logged as errors
      detail::log().info("{}: {} as {} ({} paragraphs)", outcome.path, to_string(outcome.status),
                         outcome.doc_id, outcome.paragraphs);
    }
    count(report, outcome);
    report.files.push_back(std::move(outcome));
    ++state.files_done;
    state.seconds = seconds_since(started);
    if (progress) progress(state);
  }

  if (options.prune) {
    for (const auto& doc : writer.documents()) {
      bool in_scope = false;
      for (const auto& input : options.inputs) {
        std::error_code ec;
        const fs::path root = fs::absolute(input, ec).lexically_normal();
        if (is_under(doc.source_path, root) || doc.source_path == root.string()) in_scope = true;
      }
      if (!in_scope || seen_sources.count(doc.source_path) > 0) continue;
      // Only a file known to be gone is pruned: one we may not look at (an unreadable
      // directory, a vanished mount) keeps its paper.
      std::error_code ec;
      (void)fs::symlink_status(doc.source_path, ec);
      if (!ec) continue;
      if (ec != std::errc::no_such_file_or_directory && ec != std::errc::not_a_directory) {
        detail::log().warn("{}: kept in the index, cannot tell whether it still exists ({})",
                           doc.source_path, ec.message());
        continue;
      }
      writer.remove(doc.meta.id);
      FileOutcome outcome;
      outcome.status = FileOutcome::Status::kRemoved;
      outcome.path = doc.source_path;
      outcome.doc_id = doc.meta.id;
      count(report, outcome);
      report.files.push_back(std::move(outcome));
    }
  }

  writer.commit();
  report.committed = true;
  report.index_paragraphs = writer.paragraph_count();
  report.index_documents = writer.document_count();
  report.seconds = seconds_since(started);
  return report;
}

}  // namespace

IndexReport run_index(const IndexRunOptions& options, const ProgressCallback& progress) {
  try {
    return index_files(options, progress);
  } catch (const IndexFailure& failure) {
    throw failure.error;
  }
}

IndexReport remove_documents(const fs::path& index_dir, const std::vector<std::string>& doc_ids) {
  const auto started = Clock::now();
  IndexReport report;
  std::error_code ec;
  if (!fs::exists(index_dir / "iamglass", ec) && !fs::exists(index_dir / kShardStubFile, ec)) {
    throw Error(ErrorCode::kNotFound, "no index at " + index_dir.string());
  }
  engine::ShardWriters writer(index_dir, "english", 0, false);
  for (const auto& id : doc_ids) {
    FileOutcome outcome;
    outcome.doc_id = id;
    const auto existing = writer.find(id);
    if (existing && writer.remove(id)) {
      outcome.status = FileOutcome::Status::kRemoved;
      outcome.path = existing->source_path;
    } else {
      outcome.status = FileOutcome::Status::kFailed;
      outcome.message = "no document with id '" + id + "'";
    }
    count(report, outcome);
    report.files.push_back(std::move(outcome));
  }
  writer.commit();
  report.committed = true;
  report.seconds = seconds_since(started);
  return report;
}

const char* to_string(FileOutcome::Status status) {
  switch (status) {
    case FileOutcome::Status::kAdded:
      return "added";
    case FileOutcome::Status::kUpdated:
      return "updated";
    case FileOutcome::Status::kUnchanged:
      return "unchanged";
    case FileOutcome::Status::kRemoved:
      return "removed";
    case FileOutcome::Status::kFailed:
      return "failed";
  }
  return "failed";
}

}  // namespace concord
