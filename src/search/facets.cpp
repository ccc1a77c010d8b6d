// Facet counting and value sets.
#include "facets.hpp"

#include <algorithm>
#include <unordered_map>

#include "schema.hpp"

namespace concord::search {

namespace {

// Splits "a\x1fb" into its members.
std::vector<std::string> split_set(const std::string& joined) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= joined.size()) {
    const std::size_t end = joined.find('\x1f', start);
    out.push_back(joined.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

}  // namespace

FacetCounter::FacetCounter(const Xapian::Database& db, const FacetRequest& request,
                           const FilterSet& filters)
    : db_(db), request_(request), filters_(filters), doc_spy_(schema::kSlotDoc) {
  fields_ = {{"doc", schema::kSlotDoc, false},         {"year", schema::kSlotYear, false},
             {"lang", schema::kSlotLanguage, false},   {"issuer", schema::kSlotIssuer, false},
             {"country", schema::kSlotCountry, false}, {"type", schema::kSlotType, false},
             {"topic", schema::kSlotTopics, true},     {"region", schema::kSlotRegions, true}};
}

void FacetCounter::attach(Xapian::Enquire& enquire) {
  enquire.add_matchspy(&doc_spy_);
  if (!request_.enabled) return;
  for (const auto& field : fields_) {
    if (field.name == "doc" || filters_.has_field(field.name)) continue;
    auto spy = std::make_unique<Xapian::ValueCountMatchSpy>(field.slot);
    enquire.add_matchspy(spy.get());
    main_spies_.emplace(field.name, std::move(spy));
  }
}

std::uint64_t FacetCounter::matched_paragraphs() const {
  return doc_spy_.get_total();
}

std::vector<FacetValue> FacetCounter::values_of(const Field& field,
                                                const Xapian::ValueCountMatchSpy& spy) const {
  std::unordered_map<std::string, std::uint64_t> counts;
  for (auto it = spy.values_begin(); it != spy.values_end(); ++it) {
    const std::string value = *it;
    if (field.multi) {
      for (const auto& member : split_set(value)) counts[member] += it.get_termfreq();
    } else {
      counts[value] += it.get_termfreq();
    }
  }
  std::vector<FacetValue> out;
  out.reserve(counts.size());
  const std::vector<std::string> selected = filters_.values(field.name);
  for (auto& [value, count] : counts) {
    FacetValue fv;
    fv.value = value;
    fv.label = value;
    fv.count = count;
    out.push_back(std::move(fv));
  }
  if (field.name == "doc") {
    // "id\x1ftitle": the id filters, the title is read.
    for (auto& fv : out) {
      const std::size_t sep = fv.value.find('\x1f');
      if (sep != std::string::npos) {
        fv.label = fv.value.substr(sep + 1);
        fv.value = fv.value.substr(0, sep);
      }
    }
  }
  for (auto& fv : out) {
    fv.selected = std::find(selected.begin(), selected.end(), fv.value) != selected.end();
  }
  std::sort(out.begin(), out.end(), [&](const FacetValue& a, const FacetValue& b) {
    if (field.name == "year" && a.count != 0 && b.count != 0) return a.value > b.value;
    if (a.count != b.count) return a.count > b.count;
    return a.value < b.value;
  });
  if (out.size() > request_.max_values) out.resize(request_.max_values);
  return out;
}

void FacetCounter::finish(std::map<std::string, std::vector<FacetValue>>& out,
                          const std::function<Xapian::Query(const std::string&)>& query_without) {
  if (!request_.enabled) return;
  const Xapian::doccount all = db_.get_doccount();
  for (const auto& field : fields_) {
    if (field.name == "doc" && !filters_.has_field("doc")) {
      out[field.name] = values_of(field, doc_spy_);
      continue;
    }
    const auto it = main_spies_.find(field.name);
    if (it != main_spies_.end()) {
      out[field.name] = values_of(field, *it->second);
      continue;
    }
    // Multi-select: count this facet as if its own filter were not applied.
    Xapian::Enquire enquire(db_);
    enquire.set_query(query_without(field.name));
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    Xapian::ValueCountMatchSpy spy(field.slot);
    enquire.add_matchspy(&spy);
    enquire.get_mset(0, 0, all);
    out[field.name] = values_of(field, spy);
  }
}

}  // namespace concord::search
