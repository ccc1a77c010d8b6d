#include "value_column.hpp"

namespace concord {

ValueTable::ValueTable() : values_(1), part_begin_{0, 0}, part_names_(1) {
  value_codes_.emplace("", 0);
  part_ids_.emplace("", 0);
}

std::uint32_t ValueTable::add(std::string_view value) {
  auto [entry, added] = value_codes_.try_emplace(std::string(value), 0);
  if (!added) return entry->second;
  const auto code = static_cast<std::uint32_t>(values_.size());
  entry->second = code;
  values_.emplace_back(value);
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = value.find_first_of("\x1e\x1f", start);
    const std::string_view part = value.substr(start, end - start);
    auto [id, new_part] =
        part_ids_.try_emplace(std::string(part), static_cast<std::uint32_t>(part_names_.size()));
    if (new_part) part_names_.emplace_back(part);
    parts_.push_back(id->second);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  part_begin_.push_back(static_cast<std::uint32_t>(parts_.size()));
  return code;
}

void ValueTable::freeze() {
  value_codes_ = {};
  part_ids_ = {};
}

std::size_t ValueTable::memory_bytes() const {
  std::size_t bytes = (part_begin_.capacity() + parts_.capacity()) * sizeof(std::uint32_t);
  for (const auto& v : values_) bytes += sizeof(std::string) + v.capacity();
  for (const auto& p : part_names_) bytes += sizeof(std::string) + p.capacity();
  // The lookup maps, until freeze(): a node and a copy of the string per entry.
  for (const auto& [v, code] : value_codes_) bytes += 64 + v.capacity();
  for (const auto& [p, id] : part_ids_) bytes += 64 + p.capacity();
  return bytes;
}

ValueColumn ValueColumn::read(const Xapian::Database& db, Xapian::valueno slot) {
  ValueColumn column;
  column.code_of.assign(static_cast<std::size_t>(db.get_lastdocid()) + 1, 0);
  for (auto it = db.valuestream_begin(slot); it != db.valuestream_end(slot); ++it) {
    const Xapian::docid id = it.get_docid();
    if (id >= column.code_of.size()) column.code_of.resize(static_cast<std::size_t>(id) + 1, 0);
    column.code_of[id] = column.table.add(*it);
  }
  column.table.freeze();
  return column;
}

}  // namespace concord
