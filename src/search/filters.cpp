// Filter values to terms: ids for documents, topics and regions; slugs for names.
#include "filters.hpp"

#include <algorithm>
#include <charconv>

#include "concord/text.hpp"
#include "schema.hpp"

namespace concord::search {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return out;
}

bool parse_year(std::string_view s, int& year) {
  return s.size() == 4 && std::from_chars(s.data(), s.data() + 4, year).ec == std::errc();
}

// Exact key if it exists, else every key whose slug contains the value's slug as whole
// words ("xinhua" finds "xinhua-news-agency").
Xapian::Query name_query(const Xapian::Database& db, std::string_view prefix,
                         std::string_view value) {
  const std::string key = slugify(value);
  if (key.empty()) return Xapian::Query::MatchNothing;
  const std::string exact = schema::bounded_term(prefix, key);
  if (db.term_exists(exact)) return Xapian::Query(exact);
  std::vector<Xapian::Query> matches;
  const std::string p(prefix);
  const std::string needle = "-" + key + "-";
  for (auto it = db.allterms_begin(p); it != db.allterms_end(p); ++it) {
    const std::string candidate = "-" + (*it).substr(p.size()) + "-";
    if (candidate.find(needle) != std::string::npos) matches.emplace_back(*it);
  }
  if (matches.empty()) return Xapian::Query::MatchNothing;
  return Xapian::Query(Xapian::Query::OP_OR, matches.begin(), matches.end());
}

}  // namespace

Xapian::Query filter_query(const Xapian::Database& db, const Filter& filter,
                           const Taxonomy& taxonomy, const Gazetteer& gazetteer,
                           std::string& canonical, std::vector<std::string>* set_ids) {
  const std::string& f = filter.field;
  const std::string_view v = trim(filter.value);
  canonical = std::string(v);
  if (f == "doc") return Xapian::Query(schema::bounded_term(schema::kDoc, slugify(v)));
  if (f == "year") {
    // "2023", "2015..2023", "2015-2023"
    std::size_t sep = v.find("..");
    std::size_t sep_len = 2;
    if (sep == std::string_view::npos && v.size() == 9 && v[4] == '-') {
      sep = 4;
      sep_len = 1;
    }
    int from = 0, to = 0;
    if (sep == std::string_view::npos) {
      if (!parse_year(v, from)) {
        throw Error(
            ErrorCode::kInvalidArgument,
            "year filter '" + std::string(v) + "' is not a year (2023) or range (2015..2023)");
      }
      return Xapian::Query(schema::term(schema::kYear, v));
    }
    const std::string_view a = trim(v.substr(0, sep)), b = trim(v.substr(sep + sep_len));
    if ((!a.empty() && !parse_year(a, from)) || (!b.empty() && !parse_year(b, to))) {
      throw Error(ErrorCode::kInvalidArgument,
                  "year filter '" + std::string(v) + "' is not a range like 2015..2023");
    }
    if (!a.empty() && !b.empty() && from > to) {
      throw Error(ErrorCode::kInvalidArgument, "year range '" + std::string(v) +
                                                   "' ends before it starts (write " +
                                                   std::string(b) + ".." + std::string(a) + ")");
    }
    // Dates are ISO strings, so a year range is a string range over the date slot: "2015"
    // up to anything starting "2023".
    const std::string upper = std::string(b) + "\xff";
    if (a.empty()) return Xapian::Query(Xapian::Query::OP_VALUE_LE, schema::kSlotDate, upper);
    if (b.empty())
      return Xapian::Query(Xapian::Query::OP_VALUE_GE, schema::kSlotDate, std::string(a));
    return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::kSlotDate, std::string(a), upper);
  }
  if (f == "lang") return Xapian::Query(schema::bounded_term(schema::kLanguage, lower(v)));
  if (f == "issuer") return name_query(db, schema::kIssuer, v);
  if (f == "type") return name_query(db, schema::kType, v);
  if (f == "country") {
    if (const auto id = gazetteer.resolve(v)) {
      canonical = *id;
      return Xapian::Query(schema::bounded_term(schema::kCountry, lower(*id)));
    }
    return name_query(db, schema::kCountry, v);
  }
  if (f == "topic") {
    const auto id = taxonomy.resolve(v);
    if (!id) return Xapian::Query();
    canonical = *id;
    if (set_ids != nullptr) set_ids->push_back(*id);
    return Xapian::Query(schema::bounded_term(schema::kTopic, *id));
  }
  if (f == "region") {
    // An organisation names the regions its mentions are tagged with (text saying "EU" is
    // tagged europe): it comes before a region id of the same spelling (EU is also the
    // European Union's speaker code, which no text is tagged with).
    if (const auto* group = gazetteer.group(v)) {
      canonical = group->targets.size() == 1 ? group->targets.front() : group->id;
      std::vector<Xapian::Query> any;
      for (const auto& target : group->targets) {
        any.emplace_back(schema::bounded_term(schema::kRegion, target));
        if (set_ids != nullptr) set_ids->push_back(target);
      }
      return Xapian::Query(Xapian::Query::OP_OR, any.begin(), any.end());
    }
    const auto id = gazetteer.resolve(v);
    if (!id) return Xapian::Query();
    canonical = *id;
    if (set_ids != nullptr) set_ids->push_back(*id);
    return Xapian::Query(schema::bounded_term(schema::kRegion, *id));
  }
  throw Error(ErrorCode::kInvalidArgument, "unknown filter field '" + f + "'");
}

FilterSet::FilterSet(const Xapian::Database& db, const std::vector<Filter>& filters,
                     const Taxonomy& taxonomy, const Gazetteer& gazetteer) {
  std::vector<Xapian::Query> excluded;
  for (const auto& filter : filters) {
    std::string canonical;
    std::vector<std::string> ids;
    Xapian::Query q = filter_query(db, filter, taxonomy, gazetteer, canonical, &ids);
    canonical_.push_back(canonical);
    if (q.empty() && (filter.field == "topic" || filter.field == "region")) {
      warnings_.push_back("no " + filter.field + " called '" + filter.value + "'");
    }
    if (filter.exclude) {
      if (!q.empty()) excluded.push_back(std::move(q));
    } else {
      by_field_[filter.field].push_back(std::move(q));
      raw_values_[filter.field].push_back(canonical);
      auto& field_ids = set_ids_[filter.field];
      field_ids.insert(field_ids.end(), ids.begin(), ids.end());
    }
  }
  if (!excluded.empty())
    exclusions_ = Xapian::Query(Xapian::Query::OP_OR, excluded.begin(), excluded.end());
}

std::optional<Xapian::Query> FilterSet::combined(const std::string& skip_field) const {
  std::vector<Xapian::Query> parts;
  for (const auto& [field, queries] : by_field_) {
    if (field == skip_field) continue;
    parts.emplace_back(Xapian::Query::OP_OR, queries.begin(), queries.end());
  }
  if (parts.empty()) return std::nullopt;
  return Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end());
}

std::vector<std::string> FilterSet::set_ids(const std::string& field) const {
  const auto it = set_ids_.find(field);
  return it == set_ids_.end() ? std::vector<std::string>{} : it->second;
}

std::vector<std::string> FilterSet::values(const std::string& field) const {
  const auto it = raw_values_.find(field);
  return it == raw_values_.end() ? std::vector<std::string>{} : it->second;
}

}  // namespace concord::search
