// Parsing the gazetteer and answering hierarchy questions.
#include <algorithm>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include "concord/analysis.hpp"
#include "concord/enrich.hpp"
#include "concord/error.hpp"
#include "concord/text.hpp"

namespace concord {

namespace embedded {
extern const std::string_view kGazetteer;
}

namespace {

std::string name_key(std::string_view s) {
  // An Analyzer is not thread-safe: one per thread (readers resolve names concurrently).
  thread_local const Analyzer analyzer("none");
  std::string key;
  for (const auto& t : analyzer.tokenize(s)) {
    if (!key.empty()) key += '-';
    key += t.term;
  }
  return key;
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    const std::size_t end = s.find(sep, start);
    const std::string_view item =
        trim(s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (!item.empty()) out.emplace_back(item);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

std::vector<std::string> split_fields(std::string_view line) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = line.find('|', start);
    out.emplace_back(trim(
        line.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start)));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

const std::set<std::string, std::less<>> kKinds{"world",    "continent", "region",    "subregion",
                                                "grouping", "country",   "territory", "alias"};

}  // namespace

Gazetteer Gazetteer::parse(std::string_view text, const std::string& origin) {
  Gazetteer g;
  g.source_ = std::string(text);
  struct AliasLine {
    std::string id, name;
    std::vector<std::string> targets, aliases;
    std::size_t line;
  };
  std::vector<AliasLine> alias_lines;
  std::map<std::string, std::size_t, std::less<>> line_of;
  const auto fail = [&](std::size_t line, const std::string& what) {
    return Error(ErrorCode::kInvalidInput, origin + ":" + std::to_string(line) + ": " + what);
  };
  std::size_t line_no = 0, start = 0;
  while (start <= text.size()) {
    const std::size_t end = text.find('\n', start);
    const std::string_view raw =
        text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    start = end == std::string_view::npos ? text.size() + 1 : end + 1;
    ++line_no;
    const std::string_view line = trim(raw);
    if (line.empty() || line[0] == '#') continue;
    if (!is_valid_utf8(line)) throw fail(line_no, "not valid UTF-8");
    const std::vector<std::string> f = split_fields(line);
    if (f.size() != 5) {
      throw fail(line_no, "expected 5 fields 'id | parents | kind | name | aliases', found " +
                              std::to_string(f.size()));
    }
    const std::string& id = f[0];
    const std::string& kind = f[2];
    if (id.empty()) throw fail(line_no, "empty id");
    if (kKinds.count(kind) == 0) {
      throw fail(
          line_no,
          "unknown kind '" + kind +
              "' (world, continent, region, subregion, grouping, country, territory, alias)");
    }
    if (f[3].empty()) throw fail(line_no, "'" + id + "' has no name");
    if (line_of.count(id) > 0) {
      throw fail(line_no, "id '" + id + "' already defined on line " + std::to_string(line_of[id]));
    }
    line_of[id] = line_no;
    std::vector<std::string> parents = split(f[1], ',');
    if (kind == "alias") {
      if (parents.empty()) throw fail(line_no, "alias '" + id + "' maps to no region");
      alias_lines.push_back(AliasLine{id, f[3], std::move(parents), split(f[4], ';'), line_no});
      continue;
    }
    if (kind != "world" && parents.empty()) throw fail(line_no, "'" + id + "' has no parent");
    g.by_id_[id] = g.regions_.size();
    g.regions_.push_back(Region{id, f[3], kind, std::move(parents), split(f[4], ';')});
  }
  // Every reference must resolve; the hierarchy must be acyclic and reach the world.
  for (const auto& r : g.regions_) {
    for (const auto& p : r.parents) {
      if (g.by_id_.count(p) == 0)
        throw fail(line_of[r.id], "'" + r.id + "' has unknown parent '" + p + "'");
    }
  }
  for (const auto& a : alias_lines) {
    for (const auto& t : a.targets) {
      if (g.by_id_.count(t) == 0)
        throw fail(a.line, "alias '" + a.id + "' maps to unknown region '" + t + "'");
    }
  }
  std::map<std::string, int, std::less<>> state;  // 0 unvisited, 1 in progress, 2 done
  std::function<const std::vector<std::string>&(const std::string&)> visit =
      [&](const std::string& id) -> const std::vector<std::string>& {
    int& s = state[id];
    if (s == 1) throw fail(line_of[id], "'" + id + "' is its own ancestor (cycle)");
    if (s == 2) return g.closure_[id];
    s = 1;
    std::set<std::string> all{id};
    for (const auto& p : g.regions_[g.by_id_.at(id)].parents) {
      const auto& above = visit(p);
      all.insert(above.begin(), above.end());
    }
    state[id] = 2;
    return g.closure_[id] = std::vector<std::string>(all.begin(), all.end());
  };
  for (const auto& r : g.regions_) {
    const auto& c = visit(r.id);
    if (std::find(c.begin(), c.end(), "world") == c.end()) {
      throw fail(line_of[r.id], "'" + r.id + "' does not lead up to 'world'");
    }
  }
  for (const auto& r : g.regions_) {
    g.by_key_.emplace(name_key(r.id), r.id);
  }
  for (const auto& r : g.regions_) {
    if (r.kind == "world") continue;
    g.by_key_.emplace(name_key(r.name), r.id);
    g.references_.push_back(Reference{r.name, {r.id}});
    for (const auto& alias : r.aliases) {
      g.by_key_.emplace(name_key(alias), r.id);
      g.references_.push_back(Reference{alias, {r.id}});
    }
  }
  for (const auto& a : alias_lines) {
    g.groups_.push_back(Group{a.id, a.targets});
    for (const auto& key : {a.id, a.name})
      g.group_by_key_.emplace(name_key(key), g.groups_.size() - 1);
    for (const auto& alias : a.aliases)
      g.group_by_key_.emplace(name_key(alias), g.groups_.size() - 1);
    for (const auto* phrase : {&a.name}) g.references_.push_back(Reference{*phrase, a.targets});
    for (const auto& alias : a.aliases) g.references_.push_back(Reference{alias, a.targets});
    if (a.targets.size() == 1) {
      g.by_key_.emplace(name_key(a.name), a.targets.front());
      for (const auto& alias : a.aliases) g.by_key_.emplace(name_key(alias), a.targets.front());
    }
  }
  return g;
}

Gazetteer Gazetteer::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::kIo, path + ": cannot open");
  std::ostringstream s;
  s << in.rdbuf();
  return parse(s.str(), path);
}

std::shared_ptr<const Gazetteer> Gazetteer::builtin() {
  static const auto instance =
      std::make_shared<const Gazetteer>(parse(embedded::kGazetteer, "gazetteer.txt (built in)"));
  return instance;
}

const Region* Gazetteer::find(std::string_view id) const {
  const auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &regions_[it->second];
}

const std::vector<std::string>& Gazetteer::closure(std::string_view id) const {
  static const std::vector<std::string> kNone;
  const auto it = closure_.find(id);
  return it == closure_.end() ? kNone : it->second;
}

std::vector<std::string> Gazetteer::path(std::string_view id) const {
  std::vector<std::string> out;
  const Region* r = find(id);
  while (r != nullptr && out.size() < 32) {
    out.push_back(r->id);
    r = r->parents.empty() ? nullptr : find(r->parents.front());
  }
  std::reverse(out.begin(), out.end());
  return out;
}

const Gazetteer::Group* Gazetteer::group(std::string_view name) const {
  const auto it = group_by_key_.find(name_key(name));
  return it == group_by_key_.end() ? nullptr : &groups_[it->second];
}

std::optional<std::string> Gazetteer::resolve(std::string_view name) const {
  if (find(name) != nullptr) return std::string(name);
  const auto it = by_key_.find(name_key(name));
  if (it == by_key_.end()) return std::nullopt;
  return it->second;
}

}  // namespace concord
