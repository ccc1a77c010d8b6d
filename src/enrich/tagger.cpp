// Tagging paragraphs with topics (text and headings) and regions (text).
#include <algorithm>
#include <set>
#include <unordered_map>

#include "concord/analysis.hpp"
#include "concord/enrich.hpp"
#include "phrase_matcher.hpp"

namespace concord {

namespace {

std::uint64_t fnv1a(std::string_view data, std::uint64_t hash = 0xcbf29ce484222325ull) {
  for (const char c : data) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ull;
  }
  return hash;
}

void add_unique(std::vector<std::string>& list, const std::string& value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

}  // namespace

std::string tagging_fingerprint(const Taxonomy& taxonomy, const Gazetteer& gazetteer) {
  std::uint64_t h = fnv1a(taxonomy.source());
  h = fnv1a("\x1f", h);
  h = fnv1a(gazetteer.source(), h);
  char buffer[20];
  std::snprintf(buffer, sizeof buffer, "%08llx",
                static_cast<unsigned long long>(h & 0xFFFFFFFFull));
  return buffer;
}

struct Tagger::Impl {
  Impl(std::shared_ptr<const Taxonomy> t, std::shared_ptr<const Gazetteer> g,
       const std::string& language)
      : taxonomy(std::move(t)),
        gazetteer(std::move(g)),
        analyzer(language),
        topics(analyzer, enrich::PhraseMatcher::Keys::kStems),
        places(analyzer, enrich::PhraseMatcher::Keys::kWords) {
    for (std::size_t i = 0; i < taxonomy->topics().size(); ++i) {
      for (const auto& phrase : taxonomy->topics()[i].phrases) topics.add(phrase, i);
    }
    const auto& refs = gazetteer->references();
    for (std::size_t i = 0; i < refs.size(); ++i) places.add(refs[i].phrase, i);
  }

  // Topic ids and the words that matched, for one text.
  void match_topics(std::string_view text, const std::string& evidence_prefix, ParagraphTags& out) {
    const auto tokens = analyzer.tokenize(text);
    const auto keys = topics.keys_of(tokens);
    for (const auto& m : topics.find(text, tokens, keys)) {
      const std::string& id = taxonomy->topics()[m.target].id;
      add_unique(out.topics, id);
      const std::string words(
          text.substr(tokens[m.first].begin, tokens[m.last].end - tokens[m.first].begin));
      add_unique(out.evidence["topic:" + id], evidence_prefix + words);
    }
  }

  const ParagraphTags& heading_topics(const std::string& heading) {
    auto it = heading_cache.find(heading);
    if (it == heading_cache.end()) {
      ParagraphTags tags;
      match_topics(heading, "heading: ", tags);
      it = heading_cache.emplace(heading, std::move(tags)).first;
    }
    return it->second;
  }

  ParagraphTags tag_text(std::string_view text, const std::vector<std::string>& headings) {
    ParagraphTags out;
    match_topics(text, "", out);
    for (const auto& heading : headings) {
      // An item heading that is itself the entry has already been read as the text.
      if (heading == text) continue;
      const ParagraphTags& h = heading_topics(heading);
      for (const auto& topic : h.topics) add_unique(out.topics, topic);
      for (const auto& [key, words] : h.evidence) {
        for (const auto& w : words) add_unique(out.evidence[key], w);
      }
    }
    std::sort(out.topics.begin(), out.topics.end());

    const auto tokens = analyzer.tokenize(text);
    const auto keys = places.keys_of(tokens);
    std::set<std::string> ancestors;
    for (const auto& m : places.find(text, tokens, keys)) {
      const std::string words(
          text.substr(tokens[m.first].begin, tokens[m.last].end - tokens[m.first].begin));
      for (const auto& id : gazetteer->references()[m.target].targets) {
        add_unique(out.regions, id);
        add_unique(out.evidence["region:" + id], words);
        const auto& closure = gazetteer->closure(id);
        ancestors.insert(closure.begin(), closure.end());
      }
    }
    std::sort(out.regions.begin(), out.regions.end());
    out.region_ancestors.assign(ancestors.begin(), ancestors.end());
    return out;
  }

  std::shared_ptr<const Taxonomy> taxonomy;
  std::shared_ptr<const Gazetteer> gazetteer;
  Analyzer analyzer;
  enrich::PhraseMatcher topics;
  enrich::PhraseMatcher places;
  std::unordered_map<std::string, ParagraphTags> heading_cache;
};

Tagger::Tagger(std::shared_ptr<const Taxonomy> taxonomy, std::shared_ptr<const Gazetteer> gazetteer,
               const std::string& stem_language)
    : impl_(std::make_unique<Impl>(std::move(taxonomy), std::move(gazetteer), stem_language)) {}
Tagger::~Tagger() = default;
Tagger::Tagger(Tagger&&) noexcept = default;
Tagger& Tagger::operator=(Tagger&&) noexcept = default;

const Taxonomy& Tagger::taxonomy() const {
  return *impl_->taxonomy;
}
const Gazetteer& Tagger::gazetteer() const {
  return *impl_->gazetteer;
}

ParagraphTags Tagger::tag_text(std::string_view text, const std::vector<std::string>& headings) {
  return impl_->tag_text(text, headings);
}

PaperTags Tagger::tag(const Paper& paper) {
  PaperTags tags;
  if (!paper.meta.country.empty()) {
    if (const auto id = impl_->gazetteer->resolve(paper.meta.country)) {
      if (const Region* r = impl_->gazetteer->find(*id); r != nullptr) {
        tags.country = r->id;
        tags.country_name = r->name;
      }
    }
  }
  impl_->heading_cache.clear();
  tags.paragraphs.reserve(paper.paragraphs.size());
  for (const auto& p : paper.paragraphs)
    tags.paragraphs.push_back(impl_->tag_text(p.text, p.section_path));
  return tags;
}

}  // namespace concord
