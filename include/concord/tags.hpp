// Topic and region tags of paragraphs: computed by the enrich module, stored by the index.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace concord {

// Tags computed for each paragraph of a paper at index time (by the enrich module).
struct ParagraphTags {
  std::vector<std::string> topics;
  std::vector<std::string> regions;           // mentioned regions
  std::vector<std::string> region_ancestors;  // mentioned regions and all their ancestors
  // Why: for "topic:<id>" or "region:<id>", the words that matched ("heading: ..." when the
  // topic came from a section heading).
  std::map<std::string, std::vector<std::string>> evidence;
};

// Tags of a whole paper.
struct PaperTags {
  std::string country;                    // issuer country id ("CHN"); empty: from metadata
  std::string country_name;               // its display name ("China")
  std::vector<ParagraphTags> paragraphs;  // one per paragraph, or empty
};

}  // namespace concord
