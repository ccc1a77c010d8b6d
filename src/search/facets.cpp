// Facet counting: up to three spies during the match, then integer tallies, roll-up and labels.
#include "facets.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <exception>
#include <future>
#include <span>
#include <thread>

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

// Matches the document ids in [first, end) and reads no table: restricts a counting match
// to its share of the database. Local databases only (no name(), so the remote protocol
// cannot carry it), which is the only place ranges are counted.
class DocidRange : public Xapian::PostingSource {
 public:
  DocidRange(Xapian::docid first, Xapian::docid end) : first_(first), end_(end) {}
  void init(const Xapian::Database& db) override {
    current_ = 0;
    most_ = std::min<Xapian::doccount>(end_ - first_, db.get_doccount());
  }
  [[nodiscard]] Xapian::doccount get_termfreq_min() const override { return 0; }
  [[nodiscard]] Xapian::doccount get_termfreq_est() const override { return most_; }
  [[nodiscard]] Xapian::doccount get_termfreq_max() const override { return most_; }
  void next(double) override { current_ = current_ < first_ ? first_ : current_ + 1; }
  void skip_to(Xapian::docid id, double) override {
    if (id > current_) current_ = std::max(id, first_);
  }
  [[nodiscard]] bool at_end() const override { return current_ >= end_; }
  [[nodiscard]] Xapian::docid get_docid() const override { return current_; }
  // Xapian's interface: the matcher owns and deletes the clone.
  [[nodiscard]] DocidRange* clone() const override { return new DocidRange(first_, end_); }

 private:
  Xapian::docid first_;
  Xapian::docid end_;
  Xapian::docid current_ = 0;
  Xapian::doccount most_ = 0;
};

// Searches of this process between counting and presenting facets right now. A search
// splits its count only over its share of the cores, so that concurrent searches (a server
// under load) do not pile threads onto cores that are all busy already.
std::atomic<std::size_t> active_searches{0};

// How a counting match over `last` ids splits: into chunks of at least 50,000 ids
// (CONCORD_COUNT_RANGE_DOCS), below which a match's setup costs more than it saves, shared
// by one thread per core of this search's share. Chunks outnumber threads (up to four each)
// so that a thread that ranked the page first, or ran slow, still gets its part.
struct CountingPlan {
  std::size_t threads = 1;
  std::size_t chunks = 1;
};

CountingPlan counting_plan(Xapian::docid last) {
  std::size_t per_chunk = 50000;
  if (const char* env = std::getenv("CONCORD_COUNT_RANGE_DOCS"); env != nullptr && *env != '\0') {
    per_chunk = std::max<std::size_t>(1, std::strtoull(env, nullptr, 10));
  }
  const std::size_t cores = std::max(1U, std::thread::hardware_concurrency());  // 0: unknown
  const std::size_t share = cores / std::max<std::size_t>(1, active_searches.load());
  const std::size_t most = std::max<std::size_t>(1, last / per_chunk);
  CountingPlan plan;
  plan.threads = std::clamp<std::size_t>(most, 1, std::max<std::size_t>(1, share));
  plan.chunks = std::clamp<std::size_t>(most, plan.threads, 4 * plan.threads);
  return plan;
}

}  // namespace

FacetCounter::ActiveSearch::ActiveSearch() {
  ++active_searches;
}

FacetCounter::ActiveSearch::~ActiveSearch() {
  --active_searches;
}

// Counts codes by document id: a few nanoseconds per match, against a value-stream lookup
// and a map insert for ValueCountMatchSpy. Only for local databases, whose document ids the
// column was read with.
class FacetCounter::SlotCounter::ColumnSpy : public Xapian::MatchSpy {
 public:
  ColumnSpy(std::shared_ptr<const ValueColumn> column, std::shared_ptr<const Condition> condition)
      : column_(std::move(column)),
        condition_(std::move(condition)),
        counts_(column_->table.size(), 0) {}
  void operator()(const Xapian::Document& doc, double) override { count(doc.get_docid()); }
  void count(Xapian::docid id) {
    if (!condition_ || condition_->admits(id)) ++counts_[column_->code(id)];
  }
  [[nodiscard]] const std::shared_ptr<const Condition>& condition() const { return condition_; }
  [[nodiscard]] const std::shared_ptr<const ValueColumn>& column() const { return column_; }
  void add(const ColumnSpy& other) {
    for (std::size_t code = 0; code < counts_.size(); ++code) counts_[code] += other.counts_[code];
  }
  [[nodiscard]] const std::vector<std::uint64_t>& counts() const { return counts_; }

 private:
  std::shared_ptr<const ValueColumn> column_;
  std::shared_ptr<const Condition> condition_;
  std::vector<std::uint64_t> counts_;
};

// Every in-memory column of a match in one spy, so that Xapian's matcher makes one call per
// match instead of one per slot (through its wrapper of several spies).
class FacetCounter::SlotCounter::ColumnsSpy : public Xapian::MatchSpy {
 public:
  explicit ColumnsSpy(std::vector<ColumnSpy*> spies) : spies_(std::move(spies)) {}
  void operator()(const Xapian::Document& doc, double) override {
    const Xapian::docid id = doc.get_docid();
    for (ColumnSpy* spy : spies_) spy->count(id);
  }

 private:
  std::vector<ColumnSpy*> spies_;
};

std::unique_ptr<Xapian::MatchSpy> FacetCounter::SlotCounter::combined(
    const std::vector<SlotCounter*>& counters) {
  std::vector<ColumnSpy*> spies;
  for (SlotCounter* c : counters) {
    if (!c->column_spy_) return nullptr;
    spies.push_back(c->column_spy_.get());
  }
  return std::make_unique<ColumnsSpy>(std::move(spies));
}

FacetCounter::SlotCounter::SlotCounter(Xapian::valueno slot,
                                       std::shared_ptr<const ValueColumn> column,
                                       std::shared_ptr<const Condition> condition)
    : slot_(slot) {
  if (column) {
    column_spy_ = std::make_unique<ColumnSpy>(std::move(column), std::move(condition));
  } else {
    if (condition) throw Error(ErrorCode::kInternal, "a counting condition needs a column");
    value_spy_ = std::make_unique<Xapian::ValueCountMatchSpy>(slot);
  }
}

FacetCounter::SlotCounter::~SlotCounter() = default;

std::unique_ptr<FacetCounter::SlotCounter> FacetCounter::SlotCounter::fresh() const {
  if (!column_spy_) return std::make_unique<SlotCounter>(slot_, nullptr);
  return std::make_unique<SlotCounter>(slot_, column_spy_->column(), column_spy_->condition());
}

void FacetCounter::SlotCounter::add(const SlotCounter& other) {
  if (!column_spy_ || !other.column_spy_ || column_spy_->column() != other.column_spy_->column()) {
    throw Error(ErrorCode::kInternal, "facet counts of different columns cannot be added");
  }
  column_spy_->add(*other.column_spy_);
}

std::shared_ptr<const ValueColumn> FacetCounter::SlotCounter::column() const {
  return column_spy_ ? column_spy_->column() : nullptr;
}

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
  if (column_spy_) return column_spy_->column()->table;
  collect();
  return *collected_;
}

const std::vector<std::uint64_t>& FacetCounter::SlotCounter::counts() const {
  if (column_spy_) return column_spy_->counts();
  collect();
  return collected_counts_;
}

FacetCounter::FacetCounter(const Xapian::Database& db, const FacetRequest& request,
                           const FilterSet& filters, Context context, Xapian::doccount per_doc,
                           double time_limit)
    : db_(db),
      request_(request),
      filters_(filters),
      context_(std::move(context)),
      per_doc_(per_doc),
      time_limit_(time_limit),
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

void FacetCounter::count(const Xapian::Query& query, const Xapian::Query& unfiltered,
                         const std::function<void()>& meanwhile) {
  if (count_in_one_pass(unfiltered, meanwhile)) return;
  // The key counter also gives the exact total, so it always counts.
  std::vector<SlotCounter*> counters{key_counter_.get()};
  if (request_.enabled) {
    for (const std::string field : {"topic", "region"}) {
      if (!wanted(field) || filters_.has_field(field)) continue;
      auto counts = counter(set_slot(field));
      counters.push_back(counts.get());
      set_counters_.emplace(field, std::move(counts));
    }
  }
  run_counting(query, counters, meanwhile);
}

bool FacetCounter::count_in_one_pass(const Xapian::Query& unfiltered,
                                     const std::function<void()>& meanwhile) {
  if (!request_.enabled || per_doc_ > 0 || filters_.exclusions() || !context_.column ||
      unfiltered.empty()) {
    return false;
  }
  std::vector<std::string> filtered;
  for (const auto& field : filter_fields()) {
    if (!filters_.has_field(field)) continue;
    if (field != "topic" && field != "region") return false;
    filtered.push_back(field);
  }
  // Without a filtered field among the facets there is no recount to save.
  if (std::none_of(filtered.begin(), filtered.end(), [&](const auto& f) { return wanted(f); })) {
    return false;
  }
  const auto key_column = context_.column(schema::kSlotFacets);
  if (!key_column) return false;
  std::map<std::string, std::shared_ptr<const ValueColumn>> columns;
  for (const std::string field : {"topic", "region"}) {
    if (!wanted(field)) continue;
    columns[field] = context_.column(set_slot(field));
    if (!columns[field]) return false;
  }
  // A paragraph passes a field's filter when its set, expanded as the facet counts it
  // (regions with their ancestors, as the filter terms were indexed), has one of the ids.
  std::map<std::string, Condition::Test> tests;
  for (const auto& field : filtered) {
    const Xapian::valueno slot = field == "topic" ? schema::kSlotTopics : schema::kSlotRegions;
    auto column = context_.column(slot);
    if (!column) return false;
    const std::vector<std::string> ids = filters_.set_ids(field);
    const auto build_passes = [&] {
      const auto build = [&] { return expand(field, column->table); };
      const auto expansion = context_.expansions != nullptr
                                 ? context_.expansions->get(field, column, build)
                                 : std::make_shared<const SetExpansion>(build());
      std::vector<char> wanted_value(expansion->names.size(), 0);
      for (std::size_t v = 0; v < expansion->names.size(); ++v) {
        wanted_value[v] = std::find(ids.begin(), ids.end(), expansion->names[v]) != ids.end();
      }
      std::vector<char> passes(column->table.size(), 0);
      for (std::uint32_t code = 1; code < column->table.size(); ++code) {
        for (std::uint32_t k = expansion->begin[code]; k < expansion->begin[code + 1]; ++k) {
          if (wanted_value[expansion->value_ids[k]] != 0) passes[code] = 1;
        }
      }
      return passes;
    };
    std::string key = field;
    for (const auto& id : ids) key += "\n" + id;
    auto passes = context_.expansions != nullptr
                      ? context_.expansions->passes(key, column, build_passes)
                      : std::make_shared<const std::vector<char>>(build_passes());
    tests[field] = Condition::Test{std::move(column), std::move(passes)};
  }
  const auto condition_without = [&](const std::string& own) {
    auto condition = std::make_shared<Condition>();
    for (const auto& [field, test] : tests) {
      if (field != own) condition->all.push_back(test);
    }
    return condition->all.empty() ? nullptr : condition;
  };
  key_counter_ =
      std::make_unique<SlotCounter>(schema::kSlotFacets, key_column, condition_without({}));
  std::vector<SlotCounter*> counters{key_counter_.get()};
  for (const auto& [field, column] : columns) {
    auto counts = std::make_unique<SlotCounter>(set_slot(field), column, condition_without(field));
    counters.push_back(counts.get());
    set_counters_.emplace(field, std::move(counts));
  }
  run_counting(unfiltered, counters, meanwhile);
  return true;
}

void FacetCounter::run_counting(const Xapian::Query& query,
                                const std::vector<SlotCounter*>& counters,
                                const std::function<void()>& meanwhile) const {
  const Xapian::doccount all = db_.get_doccount();
  const auto match = [&](const Xapian::Database& db, const Xapian::Query& q,
                         const std::vector<SlotCounter*>& spies) {
    Xapian::Enquire enquire(db);
    enquire.set_query(q);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    if (per_doc_ > 0) enquire.set_collapse_key(schema::kSlotDoc, per_doc_);
    if (time_limit_ > 0) enquire.set_time_limit(time_limit_);
    const auto together = SlotCounter::combined(spies);
    if (together) {
      enquire.add_matchspy(together.get());
    } else {
      for (SlotCounter* c : spies) enquire.add_matchspy(&c->spy());
    }
    enquire.get_mset(0, 0, all);
  };

  // Chunks need a column per slot (the spies are then plain integer counters that add up),
  // no collapsing (a paper's paragraphs may straddle two chunks) and a handle per thread.
  std::vector<Xapian::Database> copies;
  const Xapian::docid last = db_.get_lastdocid();
  const CountingPlan plan = counting_plan(last);
  const bool splittable =
      plan.threads > 1 && per_doc_ == 0 && context_.open_copy &&
      std::all_of(counters.begin(), counters.end(), [](auto* c) { return c->column() != nullptr; });
  while (splittable && copies.size() + 1 < plan.threads) {
    auto copy = context_.open_copy();
    if (!copy) break;
    copies.push_back(std::move(*copy));
  }
  if (copies.empty()) {
    match(db_, query, counters);
    if (meanwhile) meanwhile();
    return;
  }

  // Each thread takes the next chunk until none is left. The calling thread ranks the page
  // first (`meanwhile`) and then joins in. On two cores, against one fixed range per thread
  // beside the ranking (which left a core idle at either end), the phrase "international
  // community" went from a median of 25 to 29 ms to 23 to 24 ms on the UNGDC corpus.
  std::atomic<std::size_t> next_chunk{0};
  const auto bound = [&](std::size_t k) {
    return static_cast<Xapian::docid>(1 + static_cast<std::uint64_t>(last) * k / plan.chunks);
  };
  const auto take_chunks = [&](const Xapian::Database& db, const Xapian::Query& q,
                               const std::vector<SlotCounter*>& spies) {
    for (std::size_t i; (i = next_chunk++) < plan.chunks;) {
      DocidRange range(bound(i), bound(i + 1));
      match(db, Xapian::Query(Xapian::Query::OP_FILTER, q, Xapian::Query(&range)), spies);
    }
  };
  // Xapian::Query counts its references without atomics: each thread gets its own copy.
  const std::string wire = query.serialise();
  std::vector<std::vector<std::unique_ptr<SlotCounter>>> theirs(copies.size());
  std::vector<std::future<void>> helpers;
  for (std::size_t i = 0; i < copies.size(); ++i) {
    for (const SlotCounter* c : counters) theirs[i].push_back(c->fresh());
    helpers.push_back(std::async(std::launch::async, [&, i] {
      std::vector<SlotCounter*> spies;
      for (const auto& c : theirs[i]) spies.push_back(c.get());
      take_chunks(copies[i], Xapian::Query::unserialise(wire), spies);
    }));
  }
  std::exception_ptr failure;
  try {
    if (meanwhile) meanwhile();
    take_chunks(db_, query, counters);
  } catch (...) {
    failure = std::current_exception();
    next_chunk = plan.chunks;  // the helpers stop after their current chunk
  }
  for (auto& helper : helpers) {
    try {
      helper.get();
    } catch (...) {
      if (!failure) failure = std::current_exception();
    }
  }
  if (failure) std::rethrow_exception(failure);
  for (const auto& counts : theirs) {
    for (std::size_t k = 0; k < counters.size(); ++k) counters[k]->add(*counts[k]);
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
  std::vector<bool> per_paper;  // looked up once: the loop below runs per distinct key
  for (const auto& field : fields) {
    for (const auto& [name, f] : key_fields()) {
      if (name == field) which.push_back(f);
    }
    per_paper.push_back(documents(field));
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
      if (per_paper[f]) {
        papers[f].emplace_back(part, parts[schema::kKeyDoc]);
      } else {
        by_part[f][part] += counts[code];
      }
    }
  }
  std::map<std::string, Tally> out;
  for (std::size_t f = 0; f < which.size(); ++f) {
    if (per_paper[f]) by_part[f] = papers_per_value(papers[f], keys.part_count());
    Tally& tally = out[fields[f]];
    for (std::uint32_t part = 1; part < by_part[f].size(); ++part) {
      if (by_part[f][part] > 0) tally.emplace_back(keys.part(part), by_part[f][part]);
    }
  }
  return out;
}

std::shared_ptr<const SetExpansion> ExpansionCache::get(
    const std::string& field, const std::shared_ptr<const ValueColumn>& column,
    const std::function<SetExpansion()>& build) {
  Entry& entry = entries_[field];
  if (entry.column != column || !entry.expansion) {
    entry.column = column;
    entry.expansion = std::make_shared<const SetExpansion>(build());
  }
  return entry.expansion;
}

std::shared_ptr<const std::vector<char>> ExpansionCache::passes(
    const std::string& key, const std::shared_ptr<const ValueColumn>& column,
    const std::function<std::vector<char>()>& build) {
  // A table per distinct filter (a byte per distinct set): a long session clicking through
  // many regions must not keep them all.
  constexpr std::size_t kMaxFilters = 64;
  if (const auto it = passes_.find(key); it != passes_.end() && it->second.column == column) {
    return it->second.passes;
  }
  if (passes_.size() >= kMaxFilters) passes_.clear();
  auto table = std::make_shared<const std::vector<char>>(build());
  passes_[key] = PassEntry{column, table};
  return table;
}

SetExpansion FacetCounter::expand(const std::string& field, const ValueTable& sets) const {
  SetExpansion out;
  std::map<std::string_view, std::uint32_t> ids;  // views into the table and the gazetteer
  std::vector<std::vector<std::uint32_t>> by_member(sets.part_count());
  std::vector<bool> done(sets.part_count(), false);
  const auto member_values = [&](std::uint32_t member) -> const std::vector<std::uint32_t>& {
    if (done[member]) return by_member[member];
    done[member] = true;
    const std::string_view id = sets.part(member);
    std::vector<std::string_view> values;
    if (field == "region") {
      for (const auto& ancestor : context_.gazetteer.closure(id)) values.push_back(ancestor);
    }
    if (values.empty()) values.push_back(id);
    for (const auto value : values) {
      auto it = ids.find(value);
      if (it == ids.end()) {
        it = ids.emplace(value, static_cast<std::uint32_t>(out.names.size())).first;
        out.names.emplace_back(value);
      }
      by_member[member].push_back(it->second);
    }
    return by_member[member];
  };
  out.begin.reserve(sets.size() + 1);
  out.begin.push_back(0);
  out.begin.push_back(0);  // code 0: no value
  for (std::uint32_t code = 1; code < sets.size(); ++code) {
    auto members = sets.parts(code);
    // "paper\x1eset": the first part is the paper, not a member.
    if (sets.value(code).find('\x1e') != std::string_view::npos) members = members.subspan(1);
    const std::size_t first = out.value_ids.size();
    for (const std::uint32_t member : members) {
      for (const std::uint32_t value : member_values(member)) {
        // A set is a handful of members, so a linear look for duplicates is cheapest.
        if (std::find(out.value_ids.begin() + static_cast<std::ptrdiff_t>(first),
                      out.value_ids.end(), value) == out.value_ids.end()) {
          out.value_ids.push_back(value);
        }
      }
    }
    out.begin.push_back(static_cast<std::uint32_t>(out.value_ids.size()));
  }
  return out;
}

FacetCounter::Tally FacetCounter::tally_set_field(const std::string& field,
                                                  const SlotCounter& set_counts) const {
  const ValueTable& sets = set_counts.table();
  const auto& counts = set_counts.counts();
  // A column's expansion is built once per index revision; counts from Xapian's value
  // streams have a table of their own, expanded for this search.
  const auto build = [&] { return expand(field, sets); };
  const auto column = set_counts.column();
  const std::shared_ptr<const SetExpansion> expansion =
      column && context_.expansions != nullptr
          ? context_.expansions->get(field + (documents(field) ? ":documents" : ""), column, build)
          : std::make_shared<const SetExpansion>(build());
  expansions_in_use_.push_back(expansion);
  const auto values_of = [&](std::uint32_t code) {
    return std::span<const std::uint32_t>(expansion->value_ids.data() + expansion->begin[code],
                                          expansion->value_ids.data() + expansion->begin[code + 1]);
  };

  std::vector<std::uint64_t> totals(expansion->names.size(), 0);
  if (!documents(field)) {
    for (std::uint32_t code = 1; code < counts.size(); ++code) {
      if (counts[code] == 0) continue;
      for (const std::uint32_t value : values_of(code)) totals[value] += counts[code];
    }
  } else {
    // A paper counts once per value, whatever its number of paragraphs.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> papers;
    for (std::uint32_t code = 1; code < counts.size(); ++code) {
      if (counts[code] == 0 || sets.value(code).find('\x1e') == std::string_view::npos) continue;
      const std::uint32_t paper = sets.parts(code)[0];
      for (const std::uint32_t value : values_of(code)) papers.emplace_back(value, paper);
    }
    totals = papers_per_value(std::move(papers), expansion->names.size());
  }
  Tally tally;
  for (std::uint32_t value = 0; value < totals.size(); ++value) {
    const std::string& name = expansion->names[value];
    if (totals[value] > 0 && !name.empty()) tally.emplace_back(name, totals[value]);
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
  // Multi-select: a field with an active filter is counted as if its own filter were not
  // applied, in a pass of its own.
  const auto recount = [&](const std::string& field, Xapian::valueno slot) {
    auto counts = counter(slot);
    const Xapian::Query query = query_without(field);
    if (!query.empty()) run_counting(query, {counts.get()});
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
