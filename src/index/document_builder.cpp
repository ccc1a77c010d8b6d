// Term generation through the shared Analyzer, so queries see exactly the same terms.
#include "document_builder.hpp"

#include <algorithm>

#include "concord/text.hpp"
#include "records.hpp"
#include "schema.hpp"

namespace concord::index {
namespace {

// Phrases must not match across two headings of a section path.
constexpr Xapian::termpos kFieldGap = 100;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return out;
}

}  // namespace

const DocumentBuilder::Stem& DocumentBuilder::stem(const std::string& word) {
  // Bounded: a corpus of many languages would otherwise grow the cache without end.
  constexpr std::size_t kMaxStems = 1 << 20;
  if (const auto it = stems_.find(word); it != stems_.end()) return it->second;
  if (stems_.size() >= kMaxStems) stems_.clear();
  Stem s{analyzer_.stem(word), false};
  s.paired = pairs_.listed(s.term);
  return stems_.emplace(word, std::move(s)).first->second;
}

void DocumentBuilder::add_pairs(Xapian::Document& doc) {
  // Hyphenated words put a second stem at a position, so a position may hold two stems.
  std::stable_sort(paired_.begin(), paired_.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::size_t next = 0;  // the first entry at a position after the current one
  for (std::size_t i = 0; i < paired_.size(); ++i) {
    while (next < paired_.size() && paired_[next].first <= paired_[i].first) ++next;
    for (std::size_t j = next; j < paired_.size() && paired_[j].first == paired_[i].first + 1;
         ++j) {
      doc.add_term(WordPairs::term(paired_[i].second, paired_[j].second), 0);
    }
  }
}

const DocumentBuilder::FieldTerms& DocumentBuilder::field_terms(std::string_view prefix,
                                                                const std::string& text) {
  std::string key(prefix);
  key += text;
  if (const auto it = fields_.find(key); it != fields_.end()) return it->second;
  FieldTerms field;
  analyzer_.tokenize(text, tokens_);
  for (const auto& token : tokens_)
    field.terms.emplace_back(schema::term(prefix, stem(token.term).term), token.position);
  // Positions skip at sentence ends, so the last token's position, not the count, is the span.
  field.span = (tokens_.empty() ? 0 : tokens_.back().position) + kFieldGap;
  return fields_.emplace(std::move(key), std::move(field)).first->second;
}

void DocumentBuilder::index_field(Xapian::Document& doc, const FieldTerms& field,
                                  Xapian::termpos& position, bool positional) {
  for (const auto& [term, offset] : field.terms) {
    // wdf 0: field terms filter and phrase-match but do not lengthen the paragraph for BM25.
    // A paragraph without words has length 0, and Xapian's consistency check rejects
    // positions on such documents, so its field terms go in without positions.
    if (positional) {
      doc.add_posting(term, position + offset, 0);
    } else {
      doc.add_term(term, 0);
    }
  }
  position += field.span;
}

BuiltPaper DocumentBuilder::build(const Paper& paper, const std::string& fingerprint,
                                  const PaperTags& tags, const std::string& indexed_at) {
  BuiltPaper built;
  const DocumentMeta& meta = paper.meta;
  built.doc_id = meta.id;
  const std::string year = meta.year() > 0 ? std::to_string(meta.year()) : std::string();
  const std::string date =
      (meta.date.size() >= 4 && meta.date[0] != '-') ? meta.date : std::string();
  const std::string issuer_key = slugify(meta.issuer);
  const std::string type_key = slugify(meta.type);
  const std::string country_key =
      !tags.country.empty() ? lower(tags.country) : slugify(meta.country);
  const std::string& country_label = !tags.country_name.empty() ? tags.country_name : meta.country;
  const std::string country_value =
      !tags.country.empty() ? tags.country + "\x1d" + tags.country_name : meta.country;
  std::vector<std::string> vocabulary;
  fields_.clear();

  for (std::size_t i = 0; i < paper.paragraphs.size(); ++i) {
    const Paragraph& p = paper.paragraphs[i];
    const ParagraphTags* ptags = i < tags.paragraphs.size() ? &tags.paragraphs[i] : nullptr;
    Xapian::Document doc;
    analyzer_.tokenize(p.text, tokens_);
    // The written-together form at the first and the last part's position, so it joins a
    // phrase on either side ("international cooperation", "cooperation between"); it
    // counts as one word of the paragraph.
    paired_.clear();
    for (auto& compound : hyphen_compounds(p.text, tokens_)) {
      const Stem& joined = stem(compound.term);
      const Xapian::termpos first = tokens_[compound.first].position;
      const Xapian::termpos last = tokens_[compound.last].position;
      doc.add_posting(joined.term, first);
      doc.add_posting(joined.term, last, 0);
      if (joined.paired) {
        paired_.emplace_back(first, joined.term);
        paired_.emplace_back(last, joined.term);
      }
      vocabulary.push_back(std::move(compound.term));
    }
    for (auto& token : tokens_) {
      const Stem& s = stem(token.term);
      doc.add_posting(s.term, token.position);
      if (s.paired) paired_.emplace_back(token.position, s.term);
      vocabulary.push_back(std::move(token.term));
    }
    if (!paired_.empty()) add_pairs(doc);
    const bool positional = !tokens_.empty();
    Xapian::termpos position = 0;
    index_field(doc, field_terms(schema::kTitle, meta.title), position, positional);
    position = 0;
    for (const auto& heading : p.section_path)
      index_field(doc, field_terms(schema::kSection, heading), position, positional);

    doc.add_boolean_term(std::string(schema::kParagraphKind));
    doc.add_boolean_term(schema::bounded_term(schema::kDoc, meta.id));
    const std::string language = !p.language.empty() ? p.language : meta.language;
    if (!year.empty()) doc.add_boolean_term(schema::term(schema::kYear, year));
    if (!language.empty()) doc.add_boolean_term(schema::bounded_term(schema::kLanguage, language));
    if (!country_key.empty())
      doc.add_boolean_term(schema::bounded_term(schema::kCountry, country_key));
    if (!issuer_key.empty())
      doc.add_boolean_term(schema::bounded_term(schema::kIssuer, issuer_key));
    if (!type_key.empty()) doc.add_boolean_term(schema::bounded_term(schema::kType, type_key));

    doc.add_value(schema::kSlotDoc, meta.id);
    const std::string order = schema::order_key(meta.id, p.ordinal);
    doc.add_value(schema::kSlotOrder, order);
    doc.add_value(schema::kSlotOldestFirst, schema::date_sort_key(date, order, false));
    doc.add_value(schema::kSlotNewestFirst, schema::date_sort_key(date, order, true));
    if (!date.empty()) doc.add_value(schema::kSlotDate, date);
    doc.add_value(schema::kSlotFacets, schema::facet_key({meta.id, year, language, meta.issuer,
                                                          country_value, meta.type}));
    if (ptags != nullptr) {
      std::string joined;
      for (const auto& topic : ptags->topics) {
        doc.add_boolean_term(schema::bounded_term(schema::kTopic, topic));
        if (!joined.empty()) joined += '\x1f';
        joined += topic;
      }
      if (!joined.empty()) {
        doc.add_value(schema::kSlotTopics, joined);
        doc.add_value(schema::kSlotDocTopics, meta.id + "\x1e" + joined);
      }
      joined.clear();
      for (const auto& region : ptags->regions) {
        if (!joined.empty()) joined += '\x1f';
        joined += region;
      }
      if (!joined.empty()) {
        doc.add_value(schema::kSlotRegions, joined);
        doc.add_value(schema::kSlotDocRegions, meta.id + "\x1e" + joined);
      }
      for (const auto& region : ptags->region_ancestors) {
        doc.add_boolean_term(schema::bounded_term(schema::kRegion, region));
      }
    }
    doc.set_data(records::encode_paragraph(meta.id, p, ptags));
    built.paragraphs.push_back(std::move(doc));
  }

  analyzer_.tokenize(meta.title, tokens_);
  for (auto& token : tokens_) vocabulary.push_back(std::move(token.term));
  std::sort(vocabulary.begin(), vocabulary.end());
  vocabulary.erase(std::unique(vocabulary.begin(), vocabulary.end()), vocabulary.end());

  DocumentInfo info;
  info.meta = meta;
  if (!country_label.empty()) info.meta.country = country_label;
  info.sections = paper.sections;
  info.paragraph_count = static_cast<std::uint32_t>(paper.paragraphs.size());
  info.source_path = paper.source_path;
  info.format = paper.format;
  info.fingerprint = fingerprint;
  info.indexed_at = indexed_at;
  const auto facet = [&](const char* name, const std::string& value) {
    if (!value.empty()) info.facet_values[name] = value;
  };
  facet("year", year);
  facet("lang", meta.language);
  facet("issuer", meta.issuer);
  facet("country", country_value);
  facet("type", meta.type);
  Xapian::Document& record = built.record;
  record.add_boolean_term(std::string(schema::kDocumentKind));
  record.add_boolean_term(schema::bounded_term(schema::kDocumentId, meta.id));
  built.words = std::move(vocabulary);
  record.add_value(schema::kSlotDoc, meta.id);
  if (!date.empty()) record.add_value(schema::kSlotDate, date);
  record.set_data(records::encode_document(info));
  return built;
}

void Vocabulary::add(std::vector<std::string>& words, const Xapian::Database* db) {
  for (auto& word : words) {
    if (known_.count(word) > 0) continue;
    if (db == nullptr || !db->term_exists(schema::term(schema::kWord, word))) {
      pending_.push_back(word);
    }
    known_.insert(std::move(word));
  }
}

void Vocabulary::flush(Xapian::WritableDatabase& db) {
  if (pending_.empty()) return;
  Xapian::Document record;
  record.add_boolean_term(std::string(schema::kVocabularyKind));
  for (const auto& word : pending_) record.add_boolean_term(schema::term(schema::kWord, word));
  db.add_document(record);
  pending_.clear();
}

}  // namespace concord::index
