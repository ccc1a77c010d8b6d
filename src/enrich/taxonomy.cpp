// Parsing and looking up the topic taxonomy.
#include <fstream>
#include <sstream>

#include "concord/analysis.hpp"
#include "concord/enrich.hpp"
#include "concord/error.hpp"
#include "concord/text.hpp"

namespace concord {

namespace embedded {
extern const std::string_view kTaxonomy;
}

namespace {

// A loose key for names people type: normalised words joined by '-'.
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

std::vector<std::string> split_list(std::string_view s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    const std::size_t end = s.find(';', start);
    const std::string_view item =
        trim(s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (!item.empty()) out.emplace_back(item);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::kIo, path + ": cannot open");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

Taxonomy Taxonomy::parse(std::string_view text, const std::string& origin) {
  Taxonomy t;
  t.source_ = std::string(text);
  const Analyzer analyzer;
  std::size_t line_no = 0, start = 0;
  Topic* current = nullptr;
  std::size_t current_line = 0;
  const auto fail = [&](std::size_t line, const std::string& what) {
    return Error(ErrorCode::kInvalidInput, origin + ":" + std::to_string(line) + ": " + what);
  };
  const auto finish_topic = [&]() {
    if (current == nullptr) return;
    if (current->label.empty())
      throw fail(current_line, "topic '" + current->id + "' has no label");
    if (current->phrases.empty())
      throw fail(current_line, "topic '" + current->id + "' has no phrases");
  };
  while (start <= text.size()) {
    const std::size_t end = text.find('\n', start);
    const std::string_view raw =
        text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    start = end == std::string_view::npos ? text.size() + 1 : end + 1;
    ++line_no;
    const std::string_view line = trim(raw);
    if (line.empty() || line[0] == '#') continue;
    if (!is_valid_utf8(line)) throw fail(line_no, "not valid UTF-8");
    if (line.front() == '[') {
      if (line.back() != ']') throw fail(line_no, "a topic header looks like [topic-id]");
      finish_topic();
      const std::string id(trim(line.substr(1, line.size() - 2)));
      if (id.empty() || slugify(id) != id) {
        throw fail(line_no, "topic id '" + id + "' must be lower-case letters, digits and '-'");
      }
      if (t.find(id) != nullptr) throw fail(line_no, "topic '" + id + "' is defined twice");
      t.topics_.push_back(Topic{id, {}, {}, {}});
      current = &t.topics_.back();
      current_line = line_no;
      continue;
    }
    const std::size_t eq = line.find('=');
    if (eq == std::string_view::npos) throw fail(line_no, "expected 'key = value' or [topic-id]");
    if (current == nullptr) throw fail(line_no, "'key = value' before the first [topic-id]");
    const std::string key(trim(line.substr(0, eq)));
    const std::string_view value = trim(line.substr(eq + 1));
    if (key == "label") {
      current->label = std::string(value);
    } else if (key == "about") {
      current->about = std::string(value);
    } else if (key == "phrases") {
      for (auto& phrase : split_list(value)) {
        if (analyzer.tokenize(phrase).empty())
          throw fail(line_no, "phrase '" + phrase + "' has no words");
        current->phrases.push_back(std::move(phrase));
      }
    } else {
      throw fail(line_no, "unknown key '" + key + "' (use label, about or phrases)");
    }
  }
  finish_topic();
  if (t.topics_.empty()) throw Error(ErrorCode::kInvalidInput, origin + ": no topics defined");
  return t;
}

Taxonomy Taxonomy::load(const std::string& path) {
  return parse(read_text_file(path), path);
}

std::shared_ptr<const Taxonomy> Taxonomy::builtin() {
  static const auto instance =
      std::make_shared<const Taxonomy>(parse(embedded::kTaxonomy, "taxonomy.ini (built in)"));
  return instance;
}

const Topic* Taxonomy::find(std::string_view id) const {
  for (const auto& topic : topics_) {
    if (topic.id == id) return &topic;
  }
  return nullptr;
}

std::optional<std::string> Taxonomy::resolve(std::string_view name) const {
  const std::string key = name_key(name);
  if (key.empty()) return std::nullopt;
  std::vector<std::string> starts;
  for (const auto& topic : topics_) {
    const std::string id_key = name_key(topic.id), label_key = name_key(topic.label);
    if (key == id_key || key == label_key) return topic.id;
    if (id_key.rfind(key, 0) == 0 || label_key.rfind(key, 0) == 0) starts.push_back(topic.id);
  }
  if (starts.size() == 1) return starts.front();
  return std::nullopt;
}

}  // namespace concord
