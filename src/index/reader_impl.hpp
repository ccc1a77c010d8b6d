// The Xapian side of an IndexReader, shared with the search module. Internal.
#pragma once

#include <string>

#include <xapian.h>

#include "concord/index.hpp"

namespace concord {

struct IndexReader::Impl {
  IndexLocation location;
  Xapian::Database db;  // all shards combined
  std::string stem_language = "english";

  // Parsed lazily, dropped when reopen() moves to a new revision.
  mutable std::shared_ptr<const Taxonomy> taxonomy;
  mutable std::shared_ptr<const Gazetteer> gazetteer;
  mutable std::shared_ptr<const DocumentTable> documents;
  void forget_caches() const {
    taxonomy.reset();
    gazetteer.reset();
    documents.reset();
  }

  Xapian::Document document_by_term(const std::string& unique_term);  // empty doc if none
};

}  // namespace concord
