// The Xapian side of an IndexReader, shared with the search module. Internal.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <xapian.h>

#include "concord/index.hpp"
#include "value_column.hpp"

namespace concord {

struct IndexReader::Impl {
  IndexLocation location;
  Xapian::Database db;  // all shards combined
  std::string stem_language = "english";
  // Which directory each local shard was opened from (device, inode; zeros for remote
  // shards): `concord index --rebuild` swaps in a new directory, which Xapian's reopen()
  // cannot see, so reopen() compares these and opens the shards afresh when they differ.
  std::vector<std::pair<std::uint64_t, std::uint64_t>> shard_identity;
  std::vector<std::string> shards;       // the location with sharded directories expanded
  std::vector<std::string> unavailable;  // shards left out of `db`
  std::chrono::steady_clock::time_point connected_at;

  // (Re)opens every shard into `db`; in a multi-shard index an unreachable shard is left
  // out and listed in `unavailable`.
  void connect();

  // Parsed lazily, dropped when reopen() moves to a new revision.
  mutable std::shared_ptr<const Taxonomy> taxonomy;
  mutable std::shared_ptr<const Gazetteer> gazetteer;
  mutable std::shared_ptr<const DocumentTable> documents;
  // Facet slots held in memory, for readers that asked for them (see value_column.hpp).
  bool keep_columns = false;
  mutable std::map<Xapian::valueno, std::shared_ptr<const ValueColumn>> columns;
  void forget_caches() const {
    taxonomy.reset();
    gazetteer.reset();
    documents.reset();
    columns.clear();
  }
  // The slot's column, read on first use; null when columns are not kept or the index is
  // not one local database.
  std::shared_ptr<const ValueColumn> column(Xapian::valueno slot) const;

  Xapian::Document document_by_term(const std::string& unique_term);  // empty doc if none
  // Another handle on the revision `db` reads, for a search that counts on several threads
  // (a Xapian::Database serves one thread at a time). None unless the index is a single
  // local database still at that revision.
  std::optional<Xapian::Database> open_copy() const;
};

}  // namespace concord
