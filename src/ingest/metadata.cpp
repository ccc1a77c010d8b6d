// Metadata from sidecars, front matter and datelines.
#include <algorithm>
#include <array>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "concord/error.hpp"
#include "concord/ingest.hpp"
#include "concord/text.hpp"
#include "metadata.hpp"

namespace concord {
namespace {

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (const char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

int to_int(std::string_view s) {
  int v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

// Line and column (1-based) of a byte offset, for error messages.
std::pair<std::size_t, std::size_t> line_column(std::string_view text, std::size_t offset) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

constexpr std::array<std::string_view, 12> kMonths{"january",   "february", "march",    "april",
                                                   "may",       "june",     "july",     "august",
                                                   "september", "october",  "november", "december"};

int month_number(std::string_view word) {
  std::string lower;
  for (const char c : word) {
    if (c != '.') lower.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
  }
  if (lower.size() < 3) return 0;
  for (std::size_t m = 0; m < kMonths.size(); ++m) {
    if (kMonths[m] == lower) return static_cast<int>(m) + 1;
    if (lower.size() <= 4 && kMonths[m].substr(0, lower.size()) == lower) {
      return static_cast<int>(m) + 1;
    }
  }
  return 0;
}

// "21st" -> 21
int day_number(std::string_view word) {
  std::size_t i = 0;
  while (i < word.size() && word[i] >= '0' && word[i] <= '9') ++i;
  if (i == 0 || i > 2) return 0;
  const std::string_view suffix = word.substr(i);
  if (!suffix.empty() && suffix != "st" && suffix != "nd" && suffix != "rd" && suffix != "th" &&
      suffix != ",") {
    return 0;
  }
  const int day = to_int(word.substr(0, i));
  return (day >= 1 && day <= 31) ? day : 0;
}

std::string iso_date(int year, int month, int day) {
  char buffer[32];
  if (year > 0) {
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month, day);
  } else {
    std::snprintf(buffer, sizeof buffer, "--%02d-%02d", month, day);
  }
  return buffer;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t pos = s.find(sep, start);
    parts.push_back(trim(s.substr(start, pos == std::string_view::npos ? pos : pos - start)));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return parts;
}

// "February 21st", "February 21, 2023", "21 February 2023" -> date; nullopt otherwise.
std::optional<std::string> parse_date_words(std::string_view text) {
  std::vector<std::string_view> words;
  for (auto w : split(text, ' ')) {
    while (!w.empty() && w.back() == ',') w.remove_suffix(1);
    if (!w.empty()) words.push_back(w);
  }
  if (words.size() < 2 || words.size() > 3) return std::nullopt;
  int month = month_number(words[0]), day = 0, year = 0;
  std::size_t year_index = 2;
  if (month > 0) {
    day = day_number(words[1]);
  } else {
    day = day_number(words[0]);
    month = month_number(words[1]);
  }
  if (month == 0 || day == 0) return std::nullopt;
  if (words.size() == 3) {
    if (!all_digits(words[year_index]) || words[year_index].size() != 4) return std::nullopt;
    year = to_int(words[year_index]);
  }
  return iso_date(year, month, day);
}

std::string json_string(const nlohmann::json& value, const std::string& key,
                        const std::string& origin) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_integer()) return std::to_string(value.get<long long>());
  throw Error(ErrorCode::kInvalidInput, origin + ": metadata key '" + key + "' must be a string");
}

}  // namespace

int DocumentMeta::year() const {
  if (date.size() >= 4 && all_digits(std::string_view(date).substr(0, 4))) {
    return to_int(std::string_view(date).substr(0, 4));
  }
  return 0;
}

namespace ingest {

std::string validate_date(std::string_view value, const std::string& origin) {
  const std::string_view v = trim(value);
  const auto bad = [&]() {
    return Error(ErrorCode::kInvalidInput, origin + ": date '" + std::string(v) +
                                               "' is not ISO 8601 (YYYY, YYYY-MM or YYYY-MM-DD)");
  };
  if (v.empty()) return {};
  if (v.size() == 4 && all_digits(v)) return std::string(v);
  if (v.size() >= 7 && all_digits(v.substr(0, 4)) && v[4] == '-' && all_digits(v.substr(5, 2))) {
    const int month = to_int(v.substr(5, 2));
    if (month < 1 || month > 12) throw bad();
    if (v.size() == 7) return std::string(v);
    if (v.size() == 10 && v[7] == '-' && all_digits(v.substr(8, 2))) {
      const int day = to_int(v.substr(8, 2));
      if (day < 1 || day > 31) throw bad();
      return std::string(v);
    }
  }
  if (auto words = parse_date_words(v); words && words->size() == 10) return *words;
  throw bad();
}

void set_meta_field(DocumentMeta& meta, const std::string& key, const std::string& value,
                    const std::string& origin) {
  if (key == "id") {
    const std::string slug = slugify(value);
    if (slug.empty()) {
      throw Error(ErrorCode::kInvalidInput,
                  origin + ": id '" + value + "' has no letters or digits");
    }
    meta.id = slug;
  } else if (key == "title") {
    meta.title = std::string(trim(value));
  } else if (key == "issuer") {
    meta.issuer = std::string(trim(value));
  } else if (key == "date") {
    meta.date = validate_date(value, origin);
  } else if (key == "year") {
    const std::string_view v = trim(value);
    if (v.size() != 4 || !all_digits(v)) {
      throw Error(ErrorCode::kInvalidInput,
                  origin + ": year '" + value + "' is not a 4-digit year");
    }
    if (meta.date.empty() || meta.year() == 0) meta.date = std::string(v);
  } else if (key == "language" || key == "lang") {
    meta.language = std::string(trim(value));
    for (char& c : meta.language) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  } else if (key == "country") {
    meta.country = std::string(trim(value));
  } else if (key == "place") {
    meta.place = std::string(trim(value));
  } else if (key == "type" || key == "document_type") {
    meta.type = std::string(trim(value));
  } else {
    meta.extra[key] = value;
  }
}

void merge_meta(DocumentMeta& base, const DocumentMeta& over) {
  const auto take = [](std::string& into, const std::string& from) {
    if (!from.empty()) into = from;
  };
  take(base.id, over.id);
  take(base.title, over.title);
  take(base.issuer, over.issuer);
  // A full date wins; a partial sidecar date ("2023") does not erase a dateline's month/day.
  if (!over.date.empty()) {
    if (over.date.size() == 4 && base.date.size() == 7 && base.date.substr(0, 2) == "--") {
      base.date = over.date + base.date.substr(1);
    } else if (base.date.size() > over.date.size() &&
               base.date.compare(0, over.date.size(), over.date) == 0) {
      // "2023" agrees with the dateline's "2023-03-05": keep the fuller date.
    } else {
      base.date = over.date;
    }
  }
  take(base.place, over.place);
  take(base.language, over.language);
  take(base.country, over.country);
  take(base.type, over.type);
  for (const auto& [k, v] : over.extra) base.extra[k] = v;
}

std::string date_from_file_name(std::string_view name) {
  struct Run {
    std::size_t begin, end;
  };
  std::vector<Run> runs;  // the name's runs of ASCII digits
  for (std::size_t i = 0; i < name.size();) {
    if (name[i] < '0' || name[i] > '9') {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < name.size() && name[j] >= '0' && name[j] <= '9') ++j;
    runs.push_back({i, j});
    i = j;
  }
  const auto digits = [&](const Run& r) { return name.substr(r.begin, r.end - r.begin); };
  const auto plausible_year = [](int y) { return y >= 1900 && y <= 2099; };
  const auto date_of = [&](std::string_view y, std::string_view m, std::string_view d) {
    const int year = to_int(y), month = to_int(m), day = to_int(d);
    if (!plausible_year(year) || month < 1 || month > 12 || day < 1 || day > 31) {
      return std::string();
    }
    return iso_date(year, month, day);
  };
  std::vector<std::string> dates, years;
  for (std::size_t k = 0; k < runs.size(); ++k) {
    const std::string_view run = digits(runs[k]);
    if (run.size() == 8) {
      if (auto d = date_of(run.substr(0, 4), run.substr(4, 2), run.substr(6, 2)); !d.empty()) {
        dates.push_back(std::move(d));
      }
    } else if (run.size() == 4 && plausible_year(to_int(run))) {
      years.emplace_back(run);
      // YYYY-MM-DD: two more runs of two digits, each after one separator.
      const auto joined = [&](std::size_t a, std::size_t b) {
        const std::size_t gap = runs[b].begin - runs[a].end;
        const char sep = name[runs[a].end];
        return gap == 1 && (sep == '-' || sep == '_' || sep == '.');
      };
      if (k + 2 < runs.size() && digits(runs[k + 1]).size() == 2 &&
          digits(runs[k + 2]).size() == 2 && joined(k, k + 1) && joined(k + 1, k + 2)) {
        if (auto d = date_of(run, digits(runs[k + 1]), digits(runs[k + 2])); !d.empty()) {
          dates.push_back(std::move(d));
        }
      }
    }
  }
  const auto single = [](std::vector<std::string>& found) {
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end()), found.end());
    return found.size() == 1 ? found.front() : std::string();
  };
  if (!dates.empty()) return single(dates);
  return single(years);
}

std::optional<DocumentMeta> parse_front_matter(const std::vector<std::string_view>& lines,
                                               std::size_t& body_start, const std::string& origin) {
  body_start = 0;
  if (lines.empty() || trim(lines[0]) != "---") return std::nullopt;
  std::size_t close = 0;
  for (std::size_t i = 1; i < lines.size() && i < 200; ++i) {
    if (trim(lines[i]) == "---" || trim(lines[i]) == "...") {
      close = i;
      break;
    }
  }
  if (close == 0) return std::nullopt;
  DocumentMeta meta;
  for (std::size_t i = 1; i < close; ++i) {
    const std::string_view line = trim(lines[i]);
    if (line.empty() || line[0] == '#') continue;
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      throw Error(ErrorCode::kInvalidInput,
                  origin + ":" + std::to_string(i + 1) + ": front matter line is not 'key: value'");
    }
    std::string key(trim(line.substr(0, colon)));
    std::string_view value = trim(line.substr(colon + 1));
    if (value.size() >= 2 && ((value.front() == '"' && value.back() == '"') ||
                              (value.front() == '\'' && value.back() == '\''))) {
      value = value.substr(1, value.size() - 2);
    }
    for (char& c : key) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    set_meta_field(meta, key, std::string(value), origin + ":" + std::to_string(i + 1));
  }
  body_start = close + 1;
  return meta;
}

}  // namespace ingest

DocumentMeta parse_sidecar(std::string_view json_text, const std::string& origin) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(json_text);
  } catch (const nlohmann::json::parse_error& e) {
    const auto [line, column] = line_column(json_text, e.byte > 0 ? e.byte - 1 : 0);
    throw Error(ErrorCode::kInvalidInput, origin + ":" + std::to_string(line) + ":" +
                                              std::to_string(column) +
                                              ": sidecar is not valid JSON");
  } catch (const nlohmann::json::exception&) {
    // Valid syntax the parser still refuses, such as a number out of range (found by fuzzing).
    throw Error(ErrorCode::kInvalidInput,
                origin + ": sidecar is not valid JSON (a value is out of range)");
  }
  if (!doc.is_object()) {
    throw Error(ErrorCode::kInvalidInput, origin + ": sidecar must be a JSON object");
  }
  DocumentMeta meta;
  for (const auto& [key, value] : doc.items()) {
    if (value.is_null()) continue;
    ingest::set_meta_field(meta, key, json_string(value, key, origin), origin);
  }
  return meta;
}

std::optional<std::filesystem::path> find_sidecar(const std::filesystem::path& file) {
  std::error_code ec;
  std::filesystem::path candidate = file;
  candidate += ".meta.json";
  if (std::filesystem::is_regular_file(candidate, ec)) return candidate;
  candidate = file.parent_path() / (file.stem().string() + ".meta.json");
  if (std::filesystem::is_regular_file(candidate, ec)) return candidate;
  return std::nullopt;
}

std::optional<Dateline> parse_dateline(std::string_view raw) {
  const std::string_view line = trim(raw);
  if (line.empty() || line.size() > 160) return std::nullopt;
  // 新华社北京2月21日电
  const std::size_t yue = line.find("月");
  const std::size_t ri = line.find("日");
  if (yue != std::string_view::npos && ri != std::string_view::npos && ri > yue) {
    std::size_t digits_start = yue;
    while (digits_start > 0 && line[digits_start - 1] >= '0' && line[digits_start - 1] <= '9') {
      --digits_start;
    }
    const std::string_view month_text = line.substr(digits_start, yue - digits_start);
    const std::size_t day_start = yue + std::string_view("月").size();
    const std::string_view day_text = line.substr(day_start, ri - day_start);
    if (!month_text.empty() && all_digits(day_text) && !day_text.empty()) {
      const int month = to_int(month_text), day = to_int(day_text);
      if (month >= 1 && month <= 12 && day >= 1 && day <= 31) {
        Dateline d;
        std::string_view head = line.substr(0, digits_start);
        int year = 0;
        if (const std::size_t nian = head.find("年");
            nian != std::string_view::npos && nian >= 4 && all_digits(head.substr(nian - 4, 4))) {
          year = to_int(head.substr(nian - 4, 4));
          head = head.substr(0, nian - 4);
        }
        static constexpr std::string_view kAgency = "新华社";
        if (head.substr(0, kAgency.size()) == kAgency) {
          d.issuer = "新华社";
          head.remove_prefix(kAgency.size());
        }
        // A place is a name: keep only CJK characters and letters ("——" is a dash, not a place).
        std::string place;
        for (std::size_t i = 0; i < head.size();) {
          const std::size_t start = i;
          const char32_t cp = next_code_point(head, i);
          if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 'A' && cp <= 'Z') ||
              (cp >= 'a' && cp <= 'z')) {
            place.append(head.substr(start, i - start));
          }
        }
        d.place = place;
        d.date = iso_date(year, month, day);
        return d;
      }
    }
  }
  // "Xinhua News Agency, Beijing, February 21st" / "Beijing, 21 February 2023"
  std::vector<std::string_view> parts = split(line, ',');
  // Rejoin "February 21, 2023" which the comma split apart.
  if (parts.size() >= 2 && parts.back().size() == 4 && all_digits(parts.back())) {
    const std::string_view year = parts.back();
    parts.pop_back();
    const std::string_view last = parts.back();
    parts.back() = std::string_view(
        last.data(), static_cast<std::size_t>(year.data() + year.size() - last.data()));
  }
  if (parts.size() < 2 || parts.size() > 3) return std::nullopt;
  const auto date = parse_date_words(parts.back());
  if (!date) return std::nullopt;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    if (parts[i].empty() || parts[i].size() > 60 || !(parts[i][0] >= 'A' && parts[i][0] <= 'Z')) {
      return std::nullopt;
    }
  }
  Dateline d;
  d.date = *date;
  if (parts.size() == 3) {
    d.issuer = std::string(parts[0]);
    d.place = std::string(parts[1]);
  } else {
    d.place = std::string(parts[0]);
  }
  return d;
}

}  // namespace concord

namespace concord {

namespace {

// One CSV record (RFC 4180: quoted fields, doubled quotes, commas and newlines inside quotes).
bool next_csv_record(std::string_view text, std::size_t& pos, std::vector<std::string>& fields,
                     std::size_t& line) {
  fields.clear();
  if (pos >= text.size()) return false;
  std::string field;
  bool quoted = false, any = false;
  while (pos < text.size()) {
    const char c = text[pos++];
    any = true;
    if (quoted) {
      if (c == '"') {
        if (pos < text.size() && text[pos] == '"') {
          field.push_back('"');
          ++pos;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        field.push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && pos < text.size() && text[pos] == '\n') ++pos;
      ++line;
      break;
    } else {
      field.push_back(c);
    }
  }
  if (quoted) throw Error(ErrorCode::kInvalidInput, "unterminated quoted field");
  if (any) fields.push_back(std::move(field));
  return any;
}

}  // namespace

MetadataTable MetadataTable::parse(std::string_view text, const std::string& origin) {
  MetadataTable table;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::size_t pos = 0, line = 1;
  std::vector<std::string> header, fields;
  try {
    if (!next_csv_record(text, pos, header, line)) {
      throw Error(ErrorCode::kInvalidInput, origin + ": empty metadata table");
    }
    const auto path_column = std::find(header.begin(), header.end(), "path");
    if (path_column == header.end()) {
      throw Error(ErrorCode::kInvalidInput, origin + ":1: the header has no 'path' column");
    }
    const std::size_t path_index = static_cast<std::size_t>(path_column - header.begin());
    std::map<std::string, int> name_counts;
    while (true) {
      const std::size_t record_line = line;
      if (!next_csv_record(text, pos, fields, line)) break;
      if (fields.size() == 1 && trim(fields[0]).empty()) continue;
      if (fields.size() != header.size()) {
        throw Error(ErrorCode::kInvalidInput, origin + ":" + std::to_string(record_line) +
                                                  ": expected " + std::to_string(header.size()) +
                                                  " fields, found " +
                                                  std::to_string(fields.size()));
      }
      DocumentMeta meta;
      for (std::size_t k = 0; k < header.size(); ++k) {
        if (k == path_index || trim(fields[k]).empty()) continue;
        const std::string key = header[k] == "country_iso3" ? "country" : header[k];
        ingest::set_meta_field(meta, key, fields[k], origin + ":" + std::to_string(record_line));
      }
      const std::string relative =
          std::filesystem::path(fields[path_index]).lexically_normal().generic_string();
      ++name_counts[std::filesystem::path(relative).filename().string()];
      table.by_name_[std::filesystem::path(relative).filename().string()] = relative;
      table.rows_[relative] = std::move(meta);
    }
    for (const auto& [name, count] : name_counts) {
      if (count > 1) table.by_name_.erase(name);
    }
  } catch (const Error& e) {
    const std::string what = e.what();
    if (what.rfind(origin, 0) == 0) throw;
    throw Error(ErrorCode::kInvalidInput, origin + ":" + std::to_string(line) + ": " + what);
  }
  return table;
}

MetadataTable MetadataTable::load(const std::filesystem::path& csv) {
  std::ifstream in(csv, std::ios::binary);
  if (!in) throw Error(ErrorCode::kIo, csv.string() + ": cannot open metadata table");
  std::ostringstream s;
  s << in.rdbuf();
  return parse(s.str(), csv.string());
}

const DocumentMeta* MetadataTable::find(const std::filesystem::path& file,
                                        const std::filesystem::path& root) const {
  const std::string relative = file.lexically_relative(root).generic_string();
  if (const auto it = rows_.find(relative); it != rows_.end()) return &it->second;
  // A table made for a parent folder lists longer paths; one made for a subfolder, shorter.
  std::string_view tail(relative);
  while (true) {
    const std::size_t slash = tail.find('/');
    if (slash == std::string_view::npos) break;
    tail.remove_prefix(slash + 1);
    if (const auto it = rows_.find(std::string(tail)); it != rows_.end()) return &it->second;
  }
  if (const auto it = by_name_.find(file.filename().string()); it != by_name_.end()) {
    return &rows_.at(it->second);
  }
  return nullptr;
}

}  // namespace concord
