// Facet slots as integers. Internal to the library.
//
// Facet values are strings made of parts: the facet key joins a paper's fields with 0x1F,
// topic and region sets join their ids with 0x1F, and the per-paper variants put the paper
// id and 0x1E first (see schema.hpp). A ValueTable interns the distinct values of a slot
// and their parts once, so that facet tallies add integers instead of splitting and
// comparing strings for every distinct value of every query.
//
// A ValueColumn goes further for long-lived readers (the server): it reads a slot once per
// index revision and keeps each document's value code, so a match spy counts codes by
// document id instead of looking the value up in Xapian's value stream. Remote shards
// cannot be read this way; their facets stay on Xapian's serialisable ValueCountMatchSpy,
// whose results are put into a ValueTable after the match.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <xapian.h>

namespace concord {

class ValueTable {
 public:
  ValueTable();

  // The code of `value`, added if new. Code 0 is the empty value (no value).
  std::uint32_t add(std::string_view value);
  // Drops the lookup maps once nothing more is added (they double the memory).
  void freeze();

  [[nodiscard]] std::size_t size() const { return values_.size(); }
  [[nodiscard]] std::string_view value(std::uint32_t code) const { return values_[code]; }
  // The value's parts in order, as part ids; separators are 0x1E and 0x1F alike.
  [[nodiscard]] std::span<const std::uint32_t> parts(std::uint32_t code) const {
    return {parts_.data() + part_begin_[code], parts_.data() + part_begin_[code + 1]};
  }
  [[nodiscard]] std::size_t part_count() const { return part_names_.size(); }
  [[nodiscard]] std::string_view part(std::uint32_t id) const { return part_names_[id]; }
  [[nodiscard]] std::size_t memory_bytes() const;

 private:
  std::vector<std::string> values_;
  std::vector<std::uint32_t> part_begin_;  // parts of code c: [part_begin_[c], part_begin_[c+1])
  std::vector<std::uint32_t> parts_;
  std::vector<std::string> part_names_;
  std::unordered_map<std::string, std::uint32_t> value_codes_;
  std::unordered_map<std::string, std::uint32_t> part_ids_;
};

struct ValueColumn {
  std::vector<std::uint32_t> code_of;  // by document id; 0 for documents without the value
  ValueTable table;

  // Reads the slot's whole value stream once. For a single database only: see
  // IndexReader::Impl::column().
  static ValueColumn read(const Xapian::Database& db, Xapian::valueno slot);

  [[nodiscard]] std::uint32_t code(Xapian::docid id) const {
    return id < code_of.size() ? code_of[id] : 0;
  }
  [[nodiscard]] std::size_t memory_bytes() const {
    return code_of.capacity() * sizeof(std::uint32_t) + table.memory_bytes();
  }
};

}  // namespace concord
