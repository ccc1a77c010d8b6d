// Facet counting: three spies during the match, then tallies, roll-up and labels.
#include "facets.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "schema.hpp"

namespace concord::search {

namespace {

// Paper-level fields read from the facet key, by facet name.
const std::vector<std::pair<std::string, schema::FacetKeyField>>& key_fields() {
  static const std::vector<std::pair<std::string, schema::FacetKeyField>> fields = {
      {"doc", schema::kKeyDoc},         {"year", schema::kKeyYear},
      {"lang", schema::kKeyLanguage},   {"issuer", schema::kKeyIssuer},
      {"country", schema::kKeyCountry}, {"type", schema::kKeyType}};
  return fields;
}

}  // namespace

FacetCounter::FacetCounter(const Xapian::Database& db, const FacetRequest& request,
                           const FilterSet& filters, Context context)
    : db_(db),
      request_(request),
      filters_(filters),
      context_(std::move(context)),
      key_spy_(schema::kSlotFacets) {}

FacetCounter::~FacetCounter() = default;

Xapian::valueno FacetCounter::set_slot(const std::string& field) const {
  if (field == "topic")
    return request_.count_documents ? schema::kSlotDocTopics : schema::kSlotTopics;
  return request_.count_documents ? schema::kSlotDocRegions : schema::kSlotRegions;
}

void FacetCounter::attach(Xapian::Enquire& enquire) {
  // The key spy also gives the exact total, so it is always attached.
  enquire.add_matchspy(&key_spy_);
  if (!request_.enabled) return;
  for (const std::string field : {"topic", "region"}) {
    if (filters_.has_field(field)) continue;
    auto spy = std::make_unique<Xapian::ValueCountMatchSpy>(set_slot(field));
    enquire.add_matchspy(spy.get());
    set_spies_.emplace(field, std::move(spy));
  }
}

std::uint64_t FacetCounter::matched_paragraphs() const {
  // Every paragraph has exactly one facet key, so the key counts add up to the matches.
  // (get_total() over-counts when shards are remote: Xapian 1.4 adds documents the merged
  // match looks at again to the total, though not to the value counts.)
  std::uint64_t total = 0;
  for (auto it = key_spy_.values_begin(); it != key_spy_.values_end(); ++it) {
    total += it.get_termfreq();
  }
  return total;
}

std::uint64_t FacetCounter::matched_documents() const {
  std::set<std::string_view> docs;
  std::vector<std::string> keys;  // the views point into these
  for (auto it = key_spy_.values_begin(); it != key_spy_.values_end(); ++it) keys.push_back(*it);
  for (const auto& key : keys) docs.insert(std::string_view(key).substr(0, key.find('\x1f')));
  return docs.size();
}

// One pass over the distinct facet keys fills the tallies of every paper-level field asked
// for: a key is split once, not once per field.
std::map<std::string, FacetCounter::Tally> FacetCounter::tally_key_fields(
    const std::vector<std::string>& fields, const Xapian::ValueCountMatchSpy& spy) const {
  std::vector<schema::FacetKeyField> which;
  for (const auto& field : fields) {
    for (const auto& [name, f] : key_fields()) {
      if (name == field) which.push_back(f);
    }
  }
  std::vector<Tally> counts(fields.size());
  // Documents mode: the distinct papers behind each value.
  std::vector<std::map<std::string, std::set<std::string>, std::less<>>> docs(fields.size());
  std::array<std::string_view, schema::kKeyFields> parts;
  for (auto it = spy.values_begin(); it != spy.values_end(); ++it) {
    const std::string key = *it;
    std::size_t n = 0, start = 0;
    for (; n < parts.size(); ++n) {
      const std::size_t end = key.find('\x1f', start);
      parts[n] = std::string_view(key).substr(start, end - start);
      if (end == std::string::npos) break;
      start = end + 1;
    }
    if (n + 1 != parts.size()) continue;  // not a key of this schema
    for (std::size_t f = 0; f < which.size(); ++f) {
      const std::string_view value = parts[which[f]];
      if (value.empty()) continue;
      if (request_.count_documents) {
        auto slot = docs[f].find(value);
        if (slot == docs[f].end())
          slot = docs[f].emplace(std::string(value), std::set<std::string>{}).first;
        slot->second.emplace(parts[schema::kKeyDoc]);
      } else {
        auto slot = counts[f].find(value);
        if (slot == counts[f].end()) slot = counts[f].emplace(std::string(value), 0).first;
        slot->second += it.get_termfreq();
      }
    }
  }
  std::map<std::string, Tally> out;
  for (std::size_t f = 0; f < fields.size(); ++f) {
    for (const auto& [value, set] : docs[f]) counts[f][value] = set.size();
    out[fields[f]] = std::move(counts[f]);
  }
  return out;
}

FacetCounter::Tally FacetCounter::tally_set_field(const std::string& field,
                                                  const Xapian::ValueCountMatchSpy& spy) const {
  // A set's members are expanded once per distinct member (regions roll up to their
  // ancestors); a paragraph counts once per value however many members reach it.
  std::map<std::string, std::vector<std::string_view>, std::less<>> expansion;
  const auto expand = [&](std::string_view member) -> const std::vector<std::string_view>& {
    auto it = expansion.find(member);
    if (it != expansion.end()) return it->second;
    std::vector<std::string_view> values;
    if (field == "region") {
      for (const auto& ancestor : context_.gazetteer.closure(member)) values.push_back(ancestor);
    }
    it = expansion.emplace(std::string(member), std::move(values)).first;
    if (it->second.empty()) it->second.push_back(it->first);  // itself, owned by the map
    return it->second;
  };
  const auto members = [&](std::string_view set, std::vector<std::string_view>& out) {
    std::size_t start = 0;
    for (;;) {
      const std::size_t end = set.find('\x1f', start);
      const auto& values = expand(set.substr(start, end - start));
      out.insert(out.end(), values.begin(), values.end());
      if (end == std::string_view::npos) break;
      start = end + 1;
    }
  };
  const auto add = [](Tally& counts, std::vector<std::string_view>& list, std::uint64_t n) {
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end()), list.end());
    for (const auto value : list) {
      auto slot = counts.find(value);
      if (slot == counts.end()) slot = counts.emplace(std::string(value), 0).first;
      slot->second += n;
    }
  };
  Tally counts;
  std::vector<std::string_view> list;
  if (!request_.count_documents) {
    for (auto it = spy.values_begin(); it != spy.values_end(); ++it) {
      const std::string set = *it;
      list.clear();
      members(set, list);
      add(counts, list, it.get_termfreq());
    }
    return counts;
  }
  // "doc\x1eset": a paper counts once per value, whatever its number of paragraphs.
  std::map<std::string, std::vector<std::string_view>, std::less<>> per_doc;
  for (auto it = spy.values_begin(); it != spy.values_end(); ++it) {
    const std::string value = *it;
    const std::size_t sep = value.find('\x1e');
    if (sep == std::string::npos) continue;
    auto slot = per_doc.find(std::string_view(value).substr(0, sep));
    if (slot == per_doc.end())
      slot = per_doc.emplace(value.substr(0, sep), std::vector<std::string_view>{}).first;
    members(std::string_view(value).substr(sep + 1), slot->second);
  }
  for (auto& [doc, values] : per_doc) add(counts, values, 1);
  return counts;
}

std::vector<FacetValue> FacetCounter::present(const std::string& field, const Tally& counts) const {
  std::vector<FacetValue> out;
  out.reserve(counts.size());
  std::shared_ptr<const IndexReader::DocumentTable> documents;  // titles, for the doc facet
  for (const auto& [raw, count] : counts) {
    FacetValue fv;
    const std::size_t sep = raw.find_first_of("\x1f\x1d");
    fv.value = raw.substr(0, sep);
    fv.label = sep == std::string::npos ? raw : raw.substr(sep + 1);
    fv.count = count;
    if (field == "doc") {
      if (!documents) documents = context_.documents();
      const auto doc = documents->find(fv.value);
      fv.label = doc != documents->end() ? doc->second.meta.title : fv.value;
    } else if (field == "topic") {
      if (const Topic* t = context_.taxonomy.find(fv.value)) fv.label = t->label;
    } else if (field == "region") {
      if (const Region* r = context_.gazetteer.find(fv.value)) fv.label = r->name;
      fv.path = context_.gazetteer.path(fv.value);
    }
    out.push_back(std::move(fv));
  }
  const std::vector<std::string> selected = filters_.values(field);
  for (auto& fv : out) {
    fv.selected = std::find(selected.begin(), selected.end(), fv.value) != selected.end();
  }
  std::sort(out.begin(), out.end(), [&](const FacetValue& a, const FacetValue& b) {
    if (field == "year") return a.value > b.value;  // newest first, all years kept
    if (a.count != b.count) return a.count > b.count;
    return a.value < b.value;
  });
  // Regions keep their whole tree (a drill-down needs every level); years are few.
  if (field != "region" && field != "year" && out.size() > request_.max_values) {
    // Never drop a selected value: the user must be able to unselect it.
    std::stable_partition(out.begin(), out.end(), [](const FacetValue& v) { return v.selected; });
    const auto chosen = static_cast<std::size_t>(
        std::count_if(out.begin(), out.end(), [](const FacetValue& v) { return v.selected; }));
    out.resize(std::max(request_.max_values, chosen));
    std::sort(out.begin(), out.end(), [](const FacetValue& a, const FacetValue& b) {
      if (a.count != b.count) return a.count > b.count;
      return a.value < b.value;
    });
  }
  return out;
}

void FacetCounter::finish(std::map<std::string, std::vector<FacetValue>>& out,
                          const std::function<Xapian::Query(const std::string&)>& query_without) {
  if (!request_.enabled) return;
  const Xapian::doccount all = db_.get_doccount();
  // Multi-select: a field with an active filter is counted as if its own filter were not
  // applied, in a pass of its own.
  const auto recount = [&](const std::string& field, Xapian::valueno slot) {
    auto spy = std::make_unique<Xapian::ValueCountMatchSpy>(slot);
    const Xapian::Query query = query_without(field);
    if (!query.empty()) {
      Xapian::Enquire enquire(db_);
      enquire.set_query(query);
      enquire.set_weighting_scheme(Xapian::BoolWeight());
      enquire.add_matchspy(spy.get());
      enquire.get_mset(0, 0, all);
    }
    return spy;
  };
  std::vector<std::string> unfiltered;
  for (const auto& [field, which] : key_fields()) {
    if (!filters_.has_field(field)) {
      unfiltered.push_back(field);
    } else {
      const auto spy = recount(field, schema::kSlotFacets);
      out[field] = present(field, tally_key_fields({field}, *spy).at(field));
    }
  }
  for (auto& [field, counts] : tally_key_fields(unfiltered, key_spy_)) {
    out[field] = present(field, counts);
  }
  for (const std::string field : {"topic", "region"}) {
    if (const auto it = set_spies_.find(field); it != set_spies_.end()) {
      out[field] = present(field, tally_set_field(field, *it->second));
    } else {
      out[field] = present(field, tally_set_field(field, *recount(field, set_slot(field))));
    }
  }
}

}  // namespace concord::search
