// Facet counting: spies during the match, then tallies, roll-up and labels.
#include "facets.hpp"

#include <algorithm>
#include <set>
#include <unordered_map>

#include "schema.hpp"

namespace concord::search {

namespace {

std::vector<std::string> split(const std::string& joined, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= joined.size()) {
    const std::size_t end = joined.find(sep, start);
    out.push_back(joined.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

// "id\x1flabel" values carry their label; plain values are their own label.
std::pair<std::string, std::string> id_and_label(const std::string& value) {
  const std::size_t sep = value.find('\x1f');
  if (sep == std::string::npos) return {value, value};
  return {value.substr(0, sep), value.substr(sep + 1)};
}

}  // namespace

FacetCounter::FacetCounter(const Xapian::Database& db, const FacetRequest& request,
                           const FilterSet& filters, Context context)
    : db_(db),
      request_(request),
      filters_(filters),
      context_(std::move(context)),
      doc_spy_(schema::kSlotDoc) {
  using namespace schema;
  fields_ = {{"doc", kSlotDoc, kSlotDoc, false},
             {"year", kSlotYear, kSlotDoc, false},
             {"lang", kSlotLanguage, kSlotDoc, false},
             {"issuer", kSlotIssuer, kSlotDoc, false},
             {"country", kSlotCountry, kSlotDoc, false},
             {"type", kSlotType, kSlotDoc, false},
             {"topic", kSlotTopics, kSlotDocTopics, true},
             {"region", kSlotRegions, kSlotDocRegions, true}};
}

FacetCounter::~FacetCounter() = default;

Xapian::valueno FacetCounter::slot_for(const Field& field) const {
  return request_.count_documents ? field.doc_slot : field.slot;
}

void FacetCounter::attach(Xapian::Enquire& enquire) {
  enquire.add_matchspy(&doc_spy_);
  if (!request_.enabled) return;
  std::set<Xapian::valueno> attached{schema::kSlotDoc};
  for (const auto& field : fields_) {
    const Xapian::valueno slot = slot_for(field);
    if (filters_.has_field(field.name) || attached.count(slot) > 0) continue;
    auto spy = std::make_unique<Xapian::ValueCountMatchSpy>(slot);
    enquire.add_matchspy(spy.get());
    attached.insert(slot);
    main_spies_.emplace(field.name, std::move(spy));
  }
}

std::uint64_t FacetCounter::matched_paragraphs() const {
  return doc_spy_.get_total();
}

std::uint64_t FacetCounter::matched_documents() const {
  std::uint64_t n = 0;
  for (auto it = doc_spy_.values_begin(); it != doc_spy_.values_end(); ++it) ++n;
  return n;
}

void FacetCounter::add_members(const Field& field, const std::string& set,
                               std::vector<std::string>& out) const {
  for (const auto& member : split(set, '\x1f')) {
    if (field.name == "region") {
      const auto& closure = context_.gazetteer.closure(member);
      if (closure.empty()) {
        out.push_back(member);
      } else {
        out.insert(out.end(), closure.begin(), closure.end());
      }
    } else {
      out.push_back(member);
    }
  }
}

FacetCounter::Tally FacetCounter::tally(const Field& field,
                                        const Xapian::ValueCountMatchSpy& spy) const {
  Tally counts;
  std::vector<std::string> members;
  if (!request_.count_documents) {
    for (auto it = spy.values_begin(); it != spy.values_end(); ++it) {
      const std::string value = *it;
      const Xapian::doccount n = it.get_termfreq();
      if (!field.multi) {
        counts[value] += n;
        continue;
      }
      members.clear();
      add_members(field, value, members);
      std::sort(members.begin(), members.end());
      members.erase(std::unique(members.begin(), members.end()), members.end());
      for (const auto& m : members) counts[m] += n;
    }
    return counts;
  }
  if (field.multi) {
    // "doc\x1eset": a paper counts once per value, whatever its number of paragraphs.
    std::unordered_map<std::string, std::vector<std::string>> per_doc;
    for (auto it = spy.values_begin(); it != spy.values_end(); ++it) {
      const std::string value = *it;
      const std::size_t sep = value.find('\x1e');
      if (sep == std::string::npos) continue;
      add_members(field, value.substr(sep + 1), per_doc[value.substr(0, sep)]);
    }
    for (auto& [doc, list] : per_doc) {
      std::sort(list.begin(), list.end());
      list.erase(std::unique(list.begin(), list.end()), list.end());
      for (const auto& m : list) ++counts[m];
    }
    return counts;
  }
  // Document-level fields: the spy counted paragraphs per paper; each paper counts once.
  if (field.name == "doc") {
    for (auto it = spy.values_begin(); it != spy.values_end(); ++it) counts[*it] = 1;
    return counts;
  }
  const auto table = context_.documents();
  for (auto it = spy.values_begin(); it != spy.values_end(); ++it) {
    const auto doc_id = id_and_label(*it).first;
    const auto doc = table->find(doc_id);
    if (doc == table->end()) continue;
    const auto value = doc->second.facet_values.find(field.name);
    if (value != doc->second.facet_values.end()) ++counts[value->second];
  }
  return counts;
}

std::vector<FacetValue> FacetCounter::present(const Field& field, const Tally& counts) const {
  std::vector<FacetValue> out;
  out.reserve(counts.size());
  for (const auto& [raw, count] : counts) {
    FacetValue fv;
    std::tie(fv.value, fv.label) = id_and_label(raw);
    fv.count = count;
    if (field.name == "topic") {
      if (const Topic* t = context_.taxonomy.find(fv.value)) fv.label = t->label;
    } else if (field.name == "region") {
      if (const Region* r = context_.gazetteer.find(fv.value)) fv.label = r->name;
      fv.path = context_.gazetteer.path(fv.value);
    }
    out.push_back(std::move(fv));
  }
  const std::vector<std::string> selected = filters_.values(field.name);
  for (auto& fv : out) {
    fv.selected = std::find(selected.begin(), selected.end(), fv.value) != selected.end();
  }
  std::sort(out.begin(), out.end(), [&](const FacetValue& a, const FacetValue& b) {
    if (field.name == "year") return a.value > b.value;  // newest first, all years kept
    if (a.count != b.count) return a.count > b.count;
    return a.value < b.value;
  });
  // Regions keep their whole tree (a drill-down needs every level); years are few.
  if (field.name != "region" && field.name != "year" && out.size() > request_.max_values) {
    // Never drop a selected value: the user must be able to unselect it.
    std::stable_partition(out.begin(), out.end(), [](const FacetValue& v) { return v.selected; });
    out.resize(std::max<std::size_t>(
        request_.max_values,
        static_cast<std::size_t>(std::count_if(out.begin(), out.end(),
                                               [](const FacetValue& v) { return v.selected; }))));
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
  for (const auto& field : fields_) {
    const Xapian::ValueCountMatchSpy* spy = nullptr;
    if (!filters_.has_field(field.name)) {
      if (slot_for(field) == schema::kSlotDoc) {
        spy = &doc_spy_;
      } else if (const auto it = main_spies_.find(field.name); it != main_spies_.end()) {
        spy = it->second.get();
      }
    }
    if (spy != nullptr) {
      out[field.name] = present(field, tally(field, *spy));
      continue;
    }
    // Multi-select: count this facet as if its own filter were not applied.
    const Xapian::Query query = query_without(field.name);
    Xapian::ValueCountMatchSpy recount(slot_for(field));
    if (!query.empty()) {
      Xapian::Enquire enquire(db_);
      enquire.set_query(query);
      enquire.set_weighting_scheme(Xapian::BoolWeight());
      enquire.add_matchspy(&recount);
      enquire.get_mset(0, 0, all);
    }
    out[field.name] = present(field, tally(field, recount));
  }
}

}  // namespace concord::search
