// Facet counting: up to three spies during the match, then integer tallies, roll-up and labels.
#include "facets.hpp"

#include <algorithm>

#include "concord/error.hpp"
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

// Counts codes by document id: a few nanoseconds per match, against a value-stream lookup
// and a map insert for ValueCountMatchSpy. Only for local databases, whose document ids the
// column was read with.
class FacetCounter::SlotCounter::ColumnSpy : public Xapian::MatchSpy {
 public:
  explicit ColumnSpy(std::shared_ptr<const ValueColumn> column)
      : column_(std::move(column)), counts_(column_->table.size(), 0) {}
  void operator()(const Xapian::Document& doc, double) override {
    ++counts_[column_->code(doc.get_docid())];
  }
  [[nodiscard]] const ValueColumn& column() const { return *column_; }
  [[nodiscard]] const std::vector<std::uint64_t>& counts() const { return counts_; }

 private:
  std::shared_ptr<const ValueColumn> column_;
  std::vector<std::uint64_t> counts_;
};

FacetCounter::SlotCounter::SlotCounter(Xapian::valueno slot,
                                       std::shared_ptr<const ValueColumn> column) {
  if (column) {
    column_spy_ = std::make_unique<ColumnSpy>(std::move(column));
  } else {
    value_spy_ = std::make_unique<Xapian::ValueCountMatchSpy>(slot);
  }
}

FacetCounter::SlotCounter::~SlotCounter() = default;

Xapian::MatchSpy& FacetCounter::SlotCounter::spy() {
  if (column_spy_) return *column_spy_;
  return *value_spy_;
}

void FacetCounter::SlotCounter::collect() const {
  if (collected_) return;
  collected_ = std::make_unique<ValueTable>();
  collected_counts_.assign(1, 0);
  for (auto it = value_spy_->values_begin(); it != value_spy_->values_end(); ++it) {
    const std::uint32_t code = collected_->add(*it);
    if (code >= collected_counts_.size()) collected_counts_.resize(code + 1, 0);
    collected_counts_[code] += it.get_termfreq();
  }
}

const ValueTable& FacetCounter::SlotCounter::table() const {
  if (column_spy_) return column_spy_->column().table;
  collect();
  return *collected_;
}

const std::vector<std::uint64_t>& FacetCounter::SlotCounter::counts() const {
  if (column_spy_) return column_spy_->counts();
  collect();
  return collected_counts_;
}

FacetCounter::FacetCounter(const Xapian::Database& db, const FacetRequest& request,
                           const FilterSet& filters, Context context)
    : db_(db),
      request_(request),
      filters_(filters),
      context_(std::move(context)),
      key_counter_(counter(schema::kSlotFacets)) {
  if (!request_.enabled) return;
  const auto& known = facet_fields();
  for (const auto& spec : request_.fields) {
    std::string name = spec;
    bool papers = request_.count_documents;
    if (const auto colon = spec.find(':'); colon != std::string::npos) {
      name = spec.substr(0, colon);
      const std::string mode = spec.substr(colon + 1);
      if (mode != "documents" && mode != "paragraphs") {
        throw Error(ErrorCode::kInvalidArgument, "facet '" + spec +
                                                     "': count 'documents' or 'paragraphs', "
                                                     "not '" +
                                                     mode + "'");
      }
      papers = mode == "documents";
    }
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      throw Error(ErrorCode::kInvalidArgument,
                  "unknown facet '" + name + "' (facets: " + list + ")");
    }
    wanted_[name] = papers;
  }
  if (request_.fields.empty()) {
    for (const auto& name : known) wanted_[name] = request_.count_documents;
  }
}

bool FacetCounter::documents(const std::string& field) const {
  const auto it = wanted_.find(field);
  return it != wanted_.end() ? it->second : request_.count_documents;
}

FacetCounter::~FacetCounter() = default;

Xapian::valueno FacetCounter::set_slot(const std::string& field) const {
  if (field == "topic") return documents(field) ? schema::kSlotDocTopics : schema::kSlotTopics;
  return documents(field) ? schema::kSlotDocRegions : schema::kSlotRegions;
}

std::unique_ptr<FacetCounter::SlotCounter> FacetCounter::counter(Xapian::valueno slot) const {
  return std::make_unique<SlotCounter>(slot, context_.column ? context_.column(slot) : nullptr);
}

void FacetCounter::attach(Xapian::Enquire& enquire) {
  // The key counter also gives the exact total, so it is always attached.
  enquire.add_matchspy(&key_counter_->spy());
  if (!request_.enabled) return;
  for (const std::string field : {"topic", "region"}) {
    if (!wanted(field) || filters_.has_field(field)) continue;
    auto counts = counter(set_slot(field));
    enquire.add_matchspy(&counts->spy());
    set_counters_.emplace(field, std::move(counts));
  }
}

std::uint64_t FacetCounter::matched_paragraphs() const {
  // Every paragraph has exactly one facet key, so the key counts add up to the matches.
  // (get_total() over-counts when shards are remote: Xapian 1.4 adds documents the merged
  // match looks at again to the total, though not to the value counts.)
  std::uint64_t total = 0;
  for (const std::uint64_t n : key_counter_->counts()) total += n;
  return total - key_counter_->counts().front();  // code 0: documents without a key
}

std::uint64_t FacetCounter::matched_documents() const {
  const ValueTable& keys = key_counter_->table();
  const auto& counts = key_counter_->counts();
  std::vector<bool> seen(keys.part_count(), false);
  std::uint64_t documents = 0;
  for (std::uint32_t code = 1; code < counts.size(); ++code) {
    if (counts[code] == 0) continue;
    const std::uint32_t doc = keys.parts(code)[schema::kKeyDoc];
    if (!seen[doc]) {
      seen[doc] = true;
      ++documents;
    }
  }
  return documents;
}

namespace {

// Distinct (value, paper) pairs to counts of papers per value.
std::vector<std::uint64_t> papers_per_value(
    std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs, std::size_t values) {
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  std::vector<std::uint64_t> counts(values, 0);
  for (const auto& [value, paper] : pairs) ++counts[value];
  return counts;
}

}  // namespace

// One pass over the distinct facet keys fills the tallies of every paper-level field asked
// for; keys were split into interned parts once, so this adds integers.
std::map<std::string, FacetCounter::Tally> FacetCounter::tally_key_fields(
    const std::vector<std::string>& fields, const SlotCounter& key_counts) const {
  std::vector<schema::FacetKeyField> which;
  for (const auto& field : fields) {
    for (const auto& [name, f] : key_fields()) {
      if (name == field) which.push_back(f);
    }
  }
  const ValueTable& keys = key_counts.table();
  const auto& counts = key_counts.counts();
  std::vector<std::vector<std::uint64_t>> by_part(which.size());
  std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>> papers(which.size());
  for (auto& c : by_part) c.assign(keys.part_count(), 0);
  for (std::uint32_t code = 1; code < counts.size(); ++code) {
    if (counts[code] == 0) continue;
    const auto parts = keys.parts(code);
    if (parts.size() != schema::kKeyFields) continue;  // not a key of this schema
    for (std::size_t f = 0; f < which.size(); ++f) {
      const std::uint32_t part = parts[which[f]];
      if (keys.part(part).empty()) continue;
      if (documents(fields[f])) {
        papers[f].emplace_back(part, parts[schema::kKeyDoc]);
      } else {
        by_part[f][part] += counts[code];
      }
    }
  }
  std::map<std::string, Tally> out;
  for (std::size_t f = 0; f < which.size(); ++f) {
    if (documents(fields[f])) by_part[f] = papers_per_value(papers[f], keys.part_count());
    Tally& tally = out[fields[f]];
    for (std::uint32_t part = 1; part < by_part[f].size(); ++part) {
      if (by_part[f][part] > 0) tally.emplace_back(keys.part(part), by_part[f][part]);
    }
  }
  return out;
}

FacetCounter::Tally FacetCounter::tally_set_field(const std::string& field,
                                                  const SlotCounter& set_counts) const {
  const ValueTable& sets = set_counts.table();
  const auto& counts = set_counts.counts();
  // Each member id expands once into the values it counts for (regions roll up to their
  // ancestors); a paragraph counts once per value however many members reach it.
  std::vector<std::string_view> names;  // into the table and the gazetteer
  std::map<std::string_view, std::uint32_t> name_ids;
  std::vector<std::vector<std::uint32_t>> expansion(sets.part_count());
  std::vector<bool> expanded(sets.part_count(), false);
  const auto expand = [&](std::uint32_t member) -> const std::vector<std::uint32_t>& {
    if (expanded[member]) return expansion[member];
    expanded[member] = true;
    const std::string_view id = sets.part(member);
    std::vector<std::string_view> values;
    if (field == "region") {
      for (const auto& ancestor : context_.gazetteer.closure(id)) values.push_back(ancestor);
    }
    if (values.empty()) values.push_back(id);
    for (const auto value : values) {
      auto it = name_ids.find(value);
      if (it == name_ids.end()) {
        it = name_ids.emplace(value, static_cast<std::uint32_t>(names.size())).first;
        names.push_back(value);
      }
      expansion[member].push_back(it->second);
    }
    return expansion[member];
  };

  std::vector<std::uint64_t> totals;
  if (!documents(field)) {
    std::vector<std::uint32_t> last_code;  // by value: the last set that counted it
    for (std::uint32_t code = 1; code < counts.size(); ++code) {
      if (counts[code] == 0) continue;
      for (const std::uint32_t member : sets.parts(code)) {
        for (const std::uint32_t value : expand(member)) {
          if (value >= totals.size()) {
            totals.resize(value + 1, 0);
            last_code.resize(value + 1, 0);
          }
          if (last_code[value] == code) continue;
          last_code[value] = code;
          totals[value] += counts[code];
        }
      }
    }
  } else {
    // "paper\x1eset": a paper counts once per value, whatever its number of paragraphs.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> papers;
    for (std::uint32_t code = 1; code < counts.size(); ++code) {
      if (counts[code] == 0 || sets.value(code).find('\x1e') == std::string_view::npos) continue;
      const auto parts = sets.parts(code);
      for (const std::uint32_t member : parts.subspan(1)) {
        for (const std::uint32_t value : expand(member)) papers.emplace_back(value, parts[0]);
      }
    }
    totals = papers_per_value(std::move(papers), names.size());
  }
  Tally tally;
  for (std::uint32_t value = 0; value < totals.size(); ++value) {
    if (totals[value] > 0 && !names[value].empty()) tally.emplace_back(names[value], totals[value]);
  }
  return tally;
}

std::vector<FacetValue> FacetCounter::present(const std::string& field, const Tally& counts,
                                              FacetInfo& info) const {
  info.documents = documents(field);
  info.values = counts.size();
  const std::vector<std::string> selected = filters_.values(field);
  const auto is_selected = [&](std::string_view raw) {
    const std::string_view value = raw.substr(0, raw.find_first_of("\x1f\x1d"));
    return std::find(selected.begin(), selected.end(), value) != selected.end();
  };
  const auto by_count = [](const auto& a, const auto& b) {
    if (a.second != b.second) return a.second > b.second;
    return a.first < b.first;
  };
  Tally kept = counts;
  if (field == "year") {
    std::sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) {
      return a.first > b.first;  // newest first, all years kept
    });
  } else if (field == "region" || kept.size() <= request_.max_values) {
    // Regions keep their whole tree (a drill-down needs every level).
    std::sort(kept.begin(), kept.end(), by_count);
  } else {
    // The most frequent values, and every selected one: the user must be able to unselect it.
    // Only those get labels (a paper facet can have thousands of values).
    const auto top = kept.begin() + static_cast<std::ptrdiff_t>(request_.max_values);
    std::partial_sort(kept.begin(), top, kept.end(), by_count);
    const auto chosen = std::stable_partition(
        top, kept.end(), [&](const auto& entry) { return is_selected(entry.first); });
    kept.erase(chosen, kept.end());
    std::sort(kept.begin(), kept.end(), by_count);
    info.truncated = true;
  }

  std::vector<FacetValue> out;
  out.reserve(kept.size());
  std::shared_ptr<const IndexReader::DocumentTable> documents;  // titles, for the doc facet
  for (const auto& [raw, count] : kept) {
    FacetValue fv;
    const std::size_t sep = raw.find_first_of("\x1f\x1d");
    fv.value = std::string(raw.substr(0, sep));
    fv.label = std::string(sep == std::string_view::npos ? raw : raw.substr(sep + 1));
    fv.count = count;
    fv.selected = is_selected(raw);
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
  return out;
}

void FacetCounter::finish(std::map<std::string, std::vector<FacetValue>>& out,
                          std::map<std::string, FacetInfo>& info,
                          const std::function<Xapian::Query(const std::string&)>& query_without) {
  if (!request_.enabled) return;
  const Xapian::doccount all = db_.get_doccount();
  // Multi-select: a field with an active filter is counted as if its own filter were not
  // applied, in a pass of its own.
  const auto recount = [&](const std::string& field, Xapian::valueno slot) {
    auto counts = counter(slot);
    const Xapian::Query query = query_without(field);
    if (!query.empty()) {
      Xapian::Enquire enquire(db_);
      enquire.set_query(query);
      enquire.set_weighting_scheme(Xapian::BoolWeight());
      enquire.add_matchspy(&counts->spy());
      enquire.get_mset(0, 0, all);
    }
    return counts;
  };
  std::vector<std::string> unfiltered;
  for (const auto& [field, which] : key_fields()) {
    if (!wanted(field)) continue;
    if (!filters_.has_field(field)) {
      unfiltered.push_back(field);
    } else {
      const auto spy = recount(field, schema::kSlotFacets);
      out[field] = present(field, tally_key_fields({field}, *spy).at(field), info[field]);
    }
  }
  for (auto& [field, counts] : tally_key_fields(unfiltered, *key_counter_)) {
    out[field] = present(field, counts, info[field]);
  }
  for (const std::string field : {"topic", "region"}) {
    if (!wanted(field)) continue;
    if (const auto it = set_counters_.find(field); it != set_counters_.end()) {
      out[field] = present(field, tally_set_field(field, *it->second), info[field]);
    } else {
      out[field] =
          present(field, tally_set_field(field, *recount(field, set_slot(field))), info[field]);
    }
  }
}

}  // namespace concord::search
