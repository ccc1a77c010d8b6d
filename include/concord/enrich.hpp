// Enrichment: topics from an editable taxonomy and regions from a gazetteer, tagged on every
// paragraph at index time. Both data files ship with Concord (embedded in the binary) and can
// be replaced with --taxonomy / --gazetteer; an index keeps a copy of the files it was
// tagged with, so searches always roll up regions and name topics the same way.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "concord/paper.hpp"
#include "concord/tags.hpp"

namespace concord {

struct Topic {
  std::string id;
  std::string label;
  std::string about;
  std::vector<std::string> phrases;
};

// The topic taxonomy (format documented at the top of src/enrich/data/taxonomy.ini).
class Taxonomy {
 public:
  // Throws Error(kInvalidInput) naming origin:line for any malformed line.
  static Taxonomy parse(std::string_view text, const std::string& origin);
  static Taxonomy load(const std::string& path);
  static std::shared_ptr<const Taxonomy> builtin();

  [[nodiscard]] const std::vector<Topic>& topics() const { return topics_; }
  [[nodiscard]] const Topic* find(std::string_view id) const;
  // A topic id from what a person types: its id, its label, or a unique start of either
  // ("bio" is ambiguous, "biosec" is not). Case and punctuation are ignored.
  [[nodiscard]] std::optional<std::string> resolve(std::string_view name) const;
  [[nodiscard]] const std::string& source() const { return source_; }

 private:
  std::vector<Topic> topics_;
  std::string source_;
};

struct Region {
  std::string id;  // ISO 3166 alpha-3 for countries, a slug otherwise
  std::string name;
  std::string kind;  // world, continent, region, subregion, grouping, country, territory
  std::vector<std::string> parents;  // primary parent first
  std::vector<std::string> aliases;
};

// The region gazetteer: a hierarchy (a DAG: a country may also belong to named groupings)
// plus names, variants, demonyms and organisations that map to regions. Format documented
// at the top of src/enrich/data/gazetteer.txt.
class Gazetteer {
 public:
  static Gazetteer parse(std::string_view text, const std::string& origin);
  static Gazetteer load(const std::string& path);
  static std::shared_ptr<const Gazetteer> builtin();

  [[nodiscard]] const std::vector<Region>& regions() const { return regions_; }
  [[nodiscard]] const Region* find(std::string_view id) const;
  // The region and all its ancestors.
  [[nodiscard]] const std::vector<std::string>& closure(std::string_view id) const;
  // Ids from the root to the region along primary parents: {"world", "africa", ...}.
  [[nodiscard]] std::vector<std::string> path(std::string_view id) const;
  // A region id from what a person types: an id ("NGA", "horn-of-africa"), a name or alias
  // ("Nigeria", "Horn of Africa", "Nigerian"). Case and punctuation are ignored.
  [[nodiscard]] std::optional<std::string> resolve(std::string_view name) const;
  // An organisation or grouping from an alias line ("BRICS", "NATO", "EU", "African Union"),
  // by its id, name or alias: the regions a mention of it is tagged with. A region filter on
  // it means "paragraphs tagged with any of them".
  struct Group {
    std::string id;
    std::vector<std::string> targets;
  };
  [[nodiscard]] const Group* group(std::string_view name) const;
  // Phrases that refer to regions: node names and aliases, and organisation alias lines
  // (which may stand for several regions).
  struct Reference {
    std::string phrase;
    std::vector<std::string> targets;
  };
  [[nodiscard]] const std::vector<Reference>& references() const { return references_; }
  [[nodiscard]] const std::string& source() const { return source_; }

 private:
  std::vector<Region> regions_;
  std::map<std::string, std::size_t, std::less<>> by_id_;
  std::map<std::string, std::vector<std::string>, std::less<>> closure_;
  std::map<std::string, std::string, std::less<>> by_key_;  // normalised name/alias -> id
  std::vector<Group> groups_;
  std::map<std::string, std::size_t, std::less<>> group_by_key_;  // normalised -> groups_ index
  std::vector<Reference> references_;
  std::string source_;
};

// Tags papers. Not safe for concurrent use (owns an Analyzer); one per indexing thread.
class Tagger {
 public:
  Tagger(std::shared_ptr<const Taxonomy> taxonomy, std::shared_ptr<const Gazetteer> gazetteer,
         const std::string& stem_language = "english");
  ~Tagger();
  Tagger(Tagger&&) noexcept;
  Tagger& operator=(Tagger&&) noexcept;

  // Topics and regions for every paragraph, and the issuer country from the metadata.
  [[nodiscard]] PaperTags tag(const Paper& paper);

  // Tags for one text under the given headings (used by tests and `concord explain`).
  [[nodiscard]] ParagraphTags tag_text(std::string_view text,
                                       const std::vector<std::string>& headings);

  [[nodiscard]] const Taxonomy& taxonomy() const;
  [[nodiscard]] const Gazetteer& gazetteer() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A short fingerprint of the tagging data, so re-indexing notices a changed taxonomy.
std::string tagging_fingerprint(const Taxonomy& taxonomy, const Gazetteer& gazetteer);

}  // namespace concord
