// Metadata helpers shared by the readers. Internal to the ingest module.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "concord/paper.hpp"

namespace concord::ingest {

// Sets one metadata key from a sidecar, front matter or metadata table; validates dates,
// years and ids, and keeps unknown keys in `extra`. Throws Error(kInvalidInput) citing origin.
void set_meta_field(DocumentMeta& meta, const std::string& key, const std::string& value,
                    const std::string& origin);

// Copies every non-empty field of `over` into `base`.
void merge_meta(DocumentMeta& base, const DocumentMeta& over);

// ISO 8601 date or partial date; throws Error(kInvalidInput) for anything else.
std::string validate_date(std::string_view value, const std::string& origin);

// The date a file name gives ("2017.txt", "CHN_77_2022.txt", "brief-2023-02-21.md"): a full
// date written YYYY-MM-DD, YYYY_MM_DD or YYYYMMDD, else the one year from 1900 to 2099 that
// stands as a number of its own. Empty when there is none, or two ("review 1990-2000").
std::string date_from_file_name(std::string_view name);

// "---\nkey: value\n---" at the top of a Markdown file. body_start is the first line after it.
std::optional<DocumentMeta> parse_front_matter(const std::vector<std::string_view>& lines,
                                               std::size_t& body_start, const std::string& origin);

}  // namespace concord::ingest
