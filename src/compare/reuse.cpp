// Reuse search: candidates from phrase queries on the source's distinctive word sequences,
// then measured by shared wording.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <set>

#include "concord/compare.hpp"
#include "concord/error.hpp"
#include "concord/text.hpp"
#include "filters.hpp"
#include "reader_impl.hpp"
#include "records.hpp"
#include "schema.hpp"
#include "words.hpp"
#include "xapian_util.hpp"

namespace concord {

namespace {

// Probes: the source is cut into windows of `window` words, one starting every `stride`
// words (and a last one ending at the source's end), and the rarest `gram`-word sequence of
// each window is a phrase query. A shared run of window + stride - 1 words holds a whole
// window, hence its probe: that is the guarantee. Ordinarily it is the minimum shared phrase,
// but never less than kGuaranteedRun: a shorter one needs a probe every two or three words,
// which on 362,000 paragraphs triples the time of a search (p50 100 -> 290 ms). Windows of 7
// words every 5 were measured a little faster than 6 every 6 or 8 every 4 for the same
// guarantee (a choice of four sequences per window avoids most probes of common words).
// Sources longer than kMaxProbes windows get a wider stride, so that the probes still cover
// the whole source; the guarantee then grows with its length and is reported. Sources short
// enough to be probed every 2, 3 or 4 words with at most kShortSourceProbes probes (up to 50,
// 73 or 96 words) get a guarantee of 5, 6 or 7 words: on NSS paragraphs that doubles the
// paragraphs found that share 5 to 7 words (recall 33% -> 59% at --min-words 5, 100% from 8
// words) for about 15% more time.
constexpr std::size_t kGram = 4;
constexpr std::size_t kGuaranteedRun = 11;
constexpr std::size_t kStride = 5;
constexpr std::size_t kMaxProbes = 256;
constexpr std::size_t kShortSourceProbes = 24;

struct ProbePlan {
  std::size_t gram = 0, window = 0, stride = 0;
  [[nodiscard]] std::size_t guaranteed() const { return window + stride - 1; }
  [[nodiscard]] std::size_t probes(std::size_t words) const {
    return words <= window ? 1 : (words - window + stride - 1) / stride + 1;
  }
};

ProbePlan plan_probes(std::size_t words, std::size_t min_shared_words) {
  ProbePlan plan;
  plan.gram = std::min({kGram, min_shared_words, words});
  // Short sources can afford the probes of a shorter guarantee (one four-word sequence every
  // two, three or four words) within what an ordinary paragraph costs.
  for (std::size_t stride = 2; stride <= 4 && plan.gram == kGram; ++stride) {
    ProbePlan fine = plan;
    fine.window = kGram;
    fine.stride = stride;
    if (fine.guaranteed() >= min_shared_words && fine.probes(words) <= kShortSourceProbes)
      return fine;
  }
  const std::size_t target = std::max(min_shared_words, kGuaranteedRun);
  // A longer minimum phrase keeps the window and widens the stride (fewer probes).
  plan.window = std::max(plan.gram, kGuaranteedRun + 1 - kStride);
  plan.stride = target + 1 - plan.window;
  while (plan.probes(words) > kMaxProbes) {
    ++plan.stride;
    plan.window = std::max(plan.window, plan.stride);
  }
  return plan;
}

constexpr std::size_t kMaxSourceBytes = 64 * 1024;

// HTML of the candidate with its shared spans marked, cut around the first long span.
std::string marked_snippet(const compare::Words& w, const std::vector<compare::Tile>& tiles,
                           std::size_t max_bytes) {
  std::vector<std::pair<std::size_t, std::size_t>> spans;  // byte ranges
  for (const auto& t : tiles) {
    spans.emplace_back(w.tokens[t.b].begin, w.tokens[t.b + t.length - 1].end);
  }
  std::sort(spans.begin(), spans.end());
  std::size_t begin = 0, end = w.text.size();
  if (w.text.size() > max_bytes && !spans.empty()) {
    begin = spans.front().first > 60 ? spans.front().first - 60 : 0;
    while (begin > 0 && (static_cast<unsigned char>(w.text[begin]) & 0xC0) == 0x80) --begin;
    for (const auto& t : w.tokens) {
      if (t.begin >= begin) {
        begin = t.begin;
        break;
      }
    }
    end = begin + utf8_prefix(std::string_view(w.text).substr(begin), max_bytes).size();
  }
  std::string out;
  if (begin > 0) out += "\xE2\x80\xA6";
  std::size_t pos = begin;
  for (const auto& [s, e] : spans) {
    if (e <= pos || s >= end) continue;
    const std::size_t from = std::max(s, pos), to = std::min(e, end);
    append_html_escaped(out, std::string_view(w.text).substr(pos, from - pos));
    out += "<mark>";
    append_html_escaped(out, std::string_view(w.text).substr(from, to - from));
    out += "</mark>";
    pos = to;
  }
  append_html_escaped(out, std::string_view(w.text).substr(pos, end - pos));
  if (end < w.text.size()) out += "\xE2\x80\xA6";
  return out;
}

}  // namespace

struct ReuseFinder::Impl {
  explicit Impl(IndexReader& r) : reader(r), analyzer(r.stem_language()) {}
  IndexReader& reader;
  Analyzer analyzer;
};

ReuseFinder::ReuseFinder(IndexReader& reader) : impl_(std::make_unique<Impl>(reader)) {}
ReuseFinder::~ReuseFinder() = default;

SimilarResponse ReuseFinder::find(const SimilarRequest& request) {
  const auto started = std::chrono::steady_clock::now();
  IndexReader& reader = impl_->reader;
  const Analyzer& analyzer = impl_->analyzer;
  if (request.limit > 1000) throw Error(ErrorCode::kLimitExceeded, "limit must be at most 1000");
  if (request.min_shared_words < 2 || request.min_shared_words > 100) {
    throw Error(ErrorCode::kInvalidArgument, "the minimum shared phrase must be 2 to 100 words");
  }
  SimilarResponse response;
  std::string source_doc;
  if (!request.paragraph_id.empty()) {
    const auto record = reader.paragraph(request.paragraph_id);
    if (!record)
      throw Error(ErrorCode::kNotFound, "no paragraph with id '" + request.paragraph_id + "'");
    response.source_id = record->id;
    response.source_text = record->paragraph.text;
    source_doc = record->doc_id;
    SearchHit source;
    source.id = record->id;
    if (const auto info = reader.document(record->doc_id)) {
      source.doc =
          DocSummary{info->meta.id,      info->meta.title,    info->meta.date, info->meta.issuer,
                     info->meta.country, info->meta.language, info->meta.type};
    }
    source.section = record->paragraph.section_path;
    source.section_number = record->paragraph.section_number;
    source.paragraph = record->paragraph.ordinal;
    source.page = record->paragraph.page;
    source.text = record->paragraph.text;
    source.snippet = html_escape(record->paragraph.text);
    source.topics = record->topics;
    source.regions = record->regions;
    response.source = std::move(source);
  } else {
    if (request.text.size() > kMaxSourceBytes) {
      throw Error(ErrorCode::kLimitExceeded, "the text to look for is longer than 64 KiB");
    }
    response.source_text = repair_utf8(request.text).text;
  }
  const compare::Words source = compare::words_of(response.source_text, analyzer);
  response.source_words = source.size();
  if (source.size() < request.min_shared_words) {
    throw Error(ErrorCode::kInvalidArgument, "the source has fewer words (" +
                                                 std::to_string(source.size()) +
                                                 ") than the minimum shared phrase (" +
                                                 std::to_string(request.min_shared_words) + ")");
  }

  Xapian::Database& db = reader.impl().db;
  try {
    xapian_util::with_retry(db, [&](Xapian::Database& d) {
      // Probes: in each window of the source, the word sequence whose words are rarest.
      const double total = std::max<double>(1, d.get_doccount());
      std::map<std::string, double> idf;
      for (const auto& s : source.stems) {
        if (!idf.count(s)) idf[s] = std::log(total / (1.0 + d.get_termfreq(s)));
      }
      // A probe that spans a sentence end must allow the same position gap as the index has.
      std::map<std::vector<std::string>, Xapian::termcount> probes;
      const ProbePlan plan = plan_probes(source.size(), request.min_shared_words);
      const std::size_t gram = plan.gram;
      // The last window ends at the source's end, so that its tail is covered too.
      std::vector<std::size_t> starts;
      for (std::size_t w = 0; w + plan.window < source.size(); w += plan.stride)
        starts.push_back(w);
      starts.push_back(source.size() > plan.window ? source.size() - plan.window : 0);
      for (const std::size_t w : starts) {
        double best = -1;
        std::size_t best_at = w;
        for (std::size_t p = w; p + gram <= source.size() && p + gram <= w + plan.window; ++p) {
          double score = 0;
          for (std::size_t k = 0; k < gram; ++k) score += idf[source.stems[p + k]];
          if (score > best) {
            best = score;
            best_at = p;
          }
        }
        const Xapian::termcount span =
            source.tokens[best_at + gram - 1].position - source.tokens[best_at].position + 1;
        auto& window = probes[std::vector<std::string>(
            source.stems.begin() + static_cast<std::ptrdiff_t>(best_at),
            source.stems.begin() + static_cast<std::ptrdiff_t>(best_at + gram))];
        window = std::max(window, span);
      }
      response.probes = probes.size();
      response.guaranteed_run = std::max(plan.guaranteed(), request.min_shared_words);
      std::vector<Xapian::Query> phrases;
      for (const auto& [p, window] : probes)
        phrases.emplace_back(Xapian::Query::OP_PHRASE, p.begin(), p.end(), window);
      Xapian::Query query(Xapian::Query::OP_OR, phrases.begin(), phrases.end());
      query = Xapian::Query(Xapian::Query::OP_FILTER, query,
                            Xapian::Query(std::string(schema::kParagraphKind)));
      const search::FilterSet filters(d, request.filters, *reader.taxonomy(), *reader.gazetteer());
      if (const auto f = filters.combined())
        query = Xapian::Query(Xapian::Query::OP_FILTER, query, *f);
      if (const auto& x = filters.exclusions(); x && !x->empty())
        query = Xapian::Query(Xapian::Query::OP_AND_NOT, query, *x);
      if (!response.source_id.empty()) {
        // Leave out the source's own paper, or only the source paragraph itself.
        Xapian::Query own(schema::bounded_term(schema::kDoc, source_doc));
        if (request.same_document) {
          const std::string key =
              schema::order_key(source_doc, response.source ? response.source->paragraph : 0);
          own = Xapian::Query(
              Xapian::Query::OP_FILTER, own,
              Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::kSlotOrder, key, key));
        }
        query = Xapian::Query(Xapian::Query::OP_AND_NOT, query, own);
      }
      Xapian::Enquire enquire(d);
      enquire.set_query(query);
      enquire.set_sort_by_relevance_then_value(schema::kSlotOrder, false);
      const std::size_t pool = std::max<std::size_t>(200, request.limit * 20);
      const Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(pool));
      response.candidates = mset.size();

      std::map<std::string, DocSummary> summaries;
      std::vector<SimilarHit> hits;
      for (auto it = mset.begin(); it != mset.end(); ++it) {
        ParagraphRecord record = records::decode_paragraph(it.get_document().get_data());
        const compare::Words words = compare::words_of(record.paragraph.text, analyzer);
        const auto tiles = compare::shared_tiles(source, words, request.min_shared_words);
        if (tiles.empty()) continue;
        SimilarHit h;
        for (const auto& t : tiles) {
          h.shared_words += t.length;
          h.longest = std::max(h.longest, t.length);
          h.phrases.push_back(SharedPhrase{compare::span_text(words, t.b, t.length), t.length});
        }
        h.share = static_cast<double>(h.shared_words) / static_cast<double>(source.size());
        h.hit.id = record.id;
        h.hit.score = h.share;
        auto summary = summaries.find(record.doc_id);
        if (summary == summaries.end()) {
          DocSummary s;
          s.id = record.doc_id;
          if (const auto info = reader.document(record.doc_id)) {
            s = DocSummary{info->meta.id,     info->meta.title,   info->meta.date,
                           info->meta.issuer, info->meta.country, info->meta.language,
                           info->meta.type};
          }
          summary = summaries.emplace(record.doc_id, std::move(s)).first;
        }
        h.hit.doc = summary->second;
        h.hit.section = record.paragraph.section_path;
        h.hit.section_number = record.paragraph.section_number;
        h.hit.paragraph = record.paragraph.ordinal;
        h.hit.page = record.paragraph.page;
        h.hit.snippet = marked_snippet(words, tiles, 600);
        h.hit.text = std::move(record.paragraph.text);
        h.hit.topics = std::move(record.topics);
        h.hit.regions = std::move(record.regions);
        hits.push_back(std::move(h));
      }
      // Most shared wording first; longer runs, then document order, break ties.
      std::sort(hits.begin(), hits.end(), [](const SimilarHit& x, const SimilarHit& y) {
        if (x.shared_words != y.shared_words) return x.shared_words > y.shared_words;
        if (x.longest != y.longest) return x.longest > y.longest;
        return x.hit.id < y.hit.id;
      });
      if (hits.size() > request.limit) hits.resize(request.limit);
      response.results = std::move(hits);
      return 0;
    });
  } catch (const Xapian::Error& e) {
    xapian_util::rethrow(e, "similar");
  }
  response.unavailable_shards = reader.unavailable_shards();
  response.took_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return response;
}

}  // namespace concord
