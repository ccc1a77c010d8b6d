// Query syntax pass, bounds, and QueryParser over normalised text.
#include "query_compiler.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <utility>

#include "concord/text.hpp"
#include "schema.hpp"
#include "word_pairs.hpp"

namespace concord::search {
namespace {

// The name of the internal field the first pass uses to hand wildcards to QueryParser.
constexpr std::string_view kWildcardField = "zzconcordwild";
// And phrases with indexed word pairs, as their stems joined by '_' (stems of plain words,
// which QueryParser reads as one term).
constexpr std::string_view kPairedPhraseField = "zzconcordpairs";

std::size_t column_of(std::string_view query, std::size_t byte_offset) {
  std::size_t column = 1;
  for (std::size_t i = 0; i < byte_offset && i < query.size(); ++i) {
    if ((static_cast<unsigned char>(query[i]) & 0xC0) != 0x80) ++column;
  }
  return column;
}

bool is_operator(std::string_view w) {
  if (w == "AND" || w == "OR" || w == "NOT" || w == "XOR" || w == "NEAR" || w == "ADJ") return true;
  for (const std::string_view op : {"NEAR/", "ADJ/"}) {
    if (w.size() > op.size() && w.substr(0, op.size()) == op &&
        std::all_of(w.begin() + static_cast<std::ptrdiff_t>(op.size()), w.end(),
                    [](char c) { return c >= '0' && c <= '9'; })) {
      return true;
    }
  }
  return false;
}

// "NEAR/x", "ADJ/": an operator whose distance is not a number.
bool is_malformed_operator(std::string_view w) {
  for (const std::string_view op : {"NEAR/", "ADJ/"}) {
    if (w.substr(0, op.size()) == op && !is_operator(w)) return true;
  }
  return false;
}

bool is_alpha_field(std::string_view f) {
  return !f.empty() && std::all_of(f.begin(), f.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  });
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return out;
}

struct Lexeme {
  enum Kind { kWord, kOpen, kClose, kQuote } kind;
  std::string_view text;
  std::size_t offset;
};

// Quotes: ASCII and typographic. Parentheses only in ASCII.
std::size_t quote_length(std::string_view s, std::size_t i) {
  if (s[i] == '"') return 1;
  for (const std::string_view q : {"\xE2\x80\x9C", "\xE2\x80\x9D", "\xE2\x80\x9E"}) {
    if (s.substr(i, q.size()) == q) return q.size();
  }
  return 0;
}

std::vector<Lexeme> lex(std::string_view q) {
  std::vector<Lexeme> out;
  std::size_t i = 0;
  while (i < q.size()) {
    const char c = q[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
      continue;
    }
    if (c == '(' || c == ')') {
      out.push_back({c == '(' ? Lexeme::kOpen : Lexeme::kClose, q.substr(i, 1), i});
      ++i;
      continue;
    }
    if (const std::size_t ql = quote_length(q, i)) {
      out.push_back({Lexeme::kQuote, q.substr(i, ql), i});
      i += ql;
      continue;
    }
    const std::size_t start = i;
    while (i < q.size() && q[i] != ' ' && q[i] != '\t' && q[i] != '\n' && q[i] != '\r' &&
           q[i] != '(' && q[i] != ')' && quote_length(q, i) == 0) {
      ++i;
    }
    out.push_back({Lexeme::kWord, q.substr(start, i - start), start});
  }
  return out;
}

// QueryParser's "-word" excludes only beside a word that is kept: "-war" alone found the
// paragraphs with "war", and it cannot sign a group. So in each level of parentheses joined
// without operators, the kept operands come first and each excluded one follows as
// "NOT ...": "-war peace" reads "peace NOT war", "-war" alone "NOT war" (every paragraph
// without it), "peace -(war OR conflict)" "peace NOT (war OR conflict)". With operators, an
// excluded group becomes "NOT (...)" in place and signed words stay for QueryParser.
// `pieces` come from the first pass, whose parentheses are balanced; `at` ends on the ")"
// that closes the level, or at the end.
std::vector<std::string> place_exclusions(const std::vector<std::string>& pieces, std::size_t& at) {
  struct Operand {
    std::string text;
    bool excluded = false;
  };
  std::vector<Operand> operands;
  bool has_operator = false;
  for (; at < pieces.size() && pieces[at] != ")"; ++at) {
    const std::string& piece = pieces[at];
    if (piece == "(" || piece == "-(") {
      ++at;
      std::string group = "(";
      for (const auto& inner : place_exclusions(pieces, at)) {
        if (group.size() > 1) group += ' ';
        group += inner;
      }
      operands.push_back({group + ")", piece == "-("});
    } else if (is_operator(piece)) {
      has_operator = true;
      operands.push_back({piece, false});
    } else if (piece.size() > 1 && piece[0] == '-') {
      operands.push_back({piece.substr(1), true});
    } else {
      operands.push_back({piece, false});
    }
  }
  std::vector<std::string> out;
  if (has_operator) {
    for (const auto& o : operands) {
      if (!o.excluded) {
        out.push_back(o.text);
      } else if (o.text.front() == '(') {
        out.push_back("NOT");
        out.push_back(o.text);
      } else {
        out.push_back("-" + o.text);
      }
    }
    return out;
  }
  for (const auto& o : operands) {
    if (!o.excluded) out.push_back(o.text);
  }
  for (const auto& o : operands) {
    if (!o.excluded) continue;
    out.push_back("NOT");
    out.push_back(o.text);
  }
  return out;
}

// Never indexed: no term starts with a control character.
constexpr std::string_view kNoSuchTerm = "\x01no-such-term";

// Expands a normalised prefix to the stems of every indexed word that starts with it.
class WildcardProcessor : public Xapian::FieldProcessor {
 public:
  WildcardProcessor(const Xapian::Database& db, const Analyzer& analyzer, std::size_t limit)
      : db_(db), analyzer_(analyzer), limit_(limit) {}

  Xapian::Query operator()(const std::string& prefix) override {
    const std::string start = schema::term(schema::kWord, prefix);
    std::map<std::string, Xapian::doccount> stems;
    std::size_t words = 0;
    for (auto it = db_.allterms_begin(start); it != db_.allterms_end(start); ++it) {
      const std::string word = (*it).substr(schema::kWord.size());
      ++words;
      const std::string stem = analyzer_.stem(word);
      if (stems.count(stem) == 0) stems.emplace(stem, db_.get_termfreq(stem));
    }
    std::vector<std::pair<std::string, Xapian::doccount>> ranked(stems.begin(), stems.end());
    if (ranked.size() > limit_) {
      std::sort(ranked.begin(), ranked.end(),
                [](const auto& a, const auto& b) { return a.second > b.second; });
      ranked.resize(limit_);
      warnings.push_back("'" + prefix + "*' matches " + std::to_string(stems.size()) +
                         " word forms; searched the " + std::to_string(limit_) + " most frequent");
    }
    if (ranked.empty()) {
      // Not Query::MatchNothing: that is the empty query, which an AND drops and which the
      // searcher reads as "every paragraph". A term no document has matches nothing.
      warnings.push_back("'" + prefix + "*' matches no indexed word");
      return Xapian::Query(std::string(kNoSuchTerm));
    }
    std::vector<Xapian::Query> terms;
    terms.reserve(ranked.size());
    for (const auto& [stem, freq] : ranked) terms.emplace_back(stem);
    (void)words;
    return Xapian::Query(Xapian::Query::OP_SYNONYM, terms.begin(), terms.end());
  }

  std::vector<std::string> warnings;

 private:
  // The reader's database, by reference: it is replaced when the reader reopens shards.
  const Xapian::Database& db_;
  const Analyzer& analyzer_;
  std::size_t limit_;
};

// A phrase of stems, as fast as the index's word pairs allow: two paired words are the two
// words AND their pair term, with no position read; a longer phrase keeps its position check
// on the paragraphs that have its pairs. Ranking is unchanged: a phrase weighs what its
// words weigh, and the pair term weighs nothing (a filter).
class PairedPhraseProcessor : public Xapian::FieldProcessor {
 public:
  explicit PairedPhraseProcessor(const index::WordPairs& pairs) : pairs_(pairs) {}

  Xapian::Query operator()(const std::string& joined) override {
    std::vector<std::string> stems;
    for (std::size_t start = 0;;) {
      const std::size_t end = joined.find('_', start);
      stems.push_back(joined.substr(start, end - start));
      if (end == std::string::npos) break;
      start = end + 1;
    }
    std::vector<Xapian::Query> words;
    std::vector<Xapian::Query> pairs;
    for (std::size_t k = 0; k < stems.size(); ++k) {
      words.emplace_back(stems[k], 1, static_cast<Xapian::termpos>(k + 1));
      if (k > 0 && pairs_.joins(stems[k - 1], stems[k])) {
        pairs.emplace_back(index::WordPairs::term(stems[k - 1], stems[k]));
      }
    }
    const bool whole = words.size() == 2 && pairs.size() == 1;
    const Xapian::Query text =
        whole ? Xapian::Query(Xapian::Query::OP_AND, words.begin(), words.end())
              : Xapian::Query(Xapian::Query::OP_PHRASE, words.begin(), words.end(),
                              static_cast<Xapian::termcount>(words.size()));
    if (pairs.empty()) return text;
    return Xapian::Query(Xapian::Query::OP_FILTER, text,
                         pairs.size() == 1
                             ? pairs.front()
                             : Xapian::Query(Xapian::Query::OP_AND, pairs.begin(), pairs.end()));
  }

 private:
  const index::WordPairs& pairs_;  // the compiler's, read from the index per compile
};

}  // namespace

struct QueryCompiler::Impl {
  Impl(const Xapian::Database& database, const Analyzer& an, const SearchLimits& lim)
      : db(database),
        analyzer(an),
        limits(lim),
        wildcard(database, an, lim.max_wildcard_expansion),
        paired_phrase(pairs) {
    for (const auto word : english_stop_words()) stopper.add(analyzer.stem(word));
    parser.set_database(db);
    parser.set_stemming_strategy(Xapian::QueryParser::STEM_NONE);
    parser.set_stopper(&stopper);
    parser.set_default_op(Xapian::Query::OP_AND);
    parser.add_prefix("title", std::string(schema::kTitle));
    parser.add_prefix("section", std::string(schema::kSection));
    parser.add_prefix(std::string(kWildcardField), &wildcard);
    parser.add_prefix(std::string(kPairedPhraseField), &paired_phrase);
  }

  // The index's word pairs; read again when its metadata changed (a reopened index).
  void refresh_pairs() {
    std::string stored = db.get_metadata(std::string(schema::kWordPairsKey));
    if (stored == pairs_metadata) return;
    pairs = index::WordPairs::parse(stored);
    pairs_metadata = std::move(stored);
  }

  const Xapian::Database& db;  // the reader's, see WildcardProcessor
  const Analyzer& analyzer;
  SearchLimits limits;
  Xapian::SimpleStopper stopper;
  WildcardProcessor wildcard;
  index::WordPairs pairs;
  std::string pairs_metadata;
  PairedPhraseProcessor paired_phrase;
  Xapian::QueryParser parser;
};

QueryCompiler::QueryCompiler(const Xapian::Database& db, const Analyzer& analyzer,
                             const SearchLimits& limits)
    : impl_(std::make_unique<Impl>(db, analyzer, limits)) {}
QueryCompiler::~QueryCompiler() = default;

namespace {

// The first pass: checks syntax and bounds, normalises words, collects filters, and writes
// the text QueryParser will read.
class FirstPass {
 public:
  FirstPass(std::string_view query, const Analyzer& analyzer, const SearchLimits& limits,
            const index::WordPairs& pairs)
      : query_(query), analyzer_(analyzer), limits_(limits), pairs_(pairs) {}

  std::string run(std::vector<Filter>& filters, bool& match_all) {
    lexemes_ = lex(query_);
    if (lexemes_.size() == 1 && lexemes_[0].kind == Lexeme::kWord && lexemes_[0].text == "*") {
      match_all = true;
      return {};
    }
    for (index_ = 0; index_ < lexemes_.size(); ++index_) step(filters);
    if (!parens_.empty()) fail("'(' is never closed", parens_.back());
    if (!out_.empty() && expect_operand_ && is_operator(out_.back())) {
      fail("'" + out_.back() + "' needs a term after it", last_operator_offset_);
    }
    std::size_t at = 0;
    std::string text;
    for (const auto& piece : place_exclusions(out_, at)) {
      if (!text.empty()) text += ' ';
      text += piece;
    }
    if (text.empty() && dropped_offset_) {
      fail("nothing to search for: no word in the query (use * to list every paragraph)",
           *dropped_offset_);
    }
    match_all = text.empty();
    return text;
  }

 private:
  [[noreturn]] void fail(const std::string& message, std::size_t offset) const {
    const std::size_t column = column_of(query_, offset);
    throw QuerySyntaxError(message + " (column " + std::to_string(column) + ")", column);
  }

  void count_terms(std::size_t n, std::size_t offset) {
    terms_ += n;
    if (terms_ > limits_.max_terms) {
      throw Error(ErrorCode::kLimitExceeded,
                  "query has more than " + std::to_string(limits_.max_terms) +
                      " words (at column " + std::to_string(column_of(query_, offset)) + ")");
    }
  }

  // Normalised and stemmed words of a piece of query text.
  std::vector<Token> analyse(std::string_view text) const { return analyzer_.tokenize(text); }

  std::string stems_of(const std::vector<Token>& tokens) const {
    std::string out;
    for (const auto& t : tokens) {
      if (!out.empty()) out += ' ';
      out += analyzer_.stem(t.term);
    }
    return out;
  }

  // Text between a quote at lexemes_[index_] and its closing quote; advances index_.
  std::string_view take_phrase() {
    const Lexeme& open = lexemes_[index_];
    for (std::size_t k = index_ + 1; k < lexemes_.size(); ++k) {
      if (lexemes_[k].kind == Lexeme::kQuote) {
        const std::size_t begin = open.offset + open.text.size();
        index_ = k;
        return query_.substr(begin, lexemes_[k].offset - begin);
      }
    }
    fail("phrase is never closed (missing '\"')", open.offset);
  }

  // Xapian's NEAR and ADJ join single words; given a group or a phrase they quietly match
  // nothing, so say so instead.
  void refuse_after_proximity(const std::string& what, std::size_t offset) const {
    if (out_.empty() || !expect_operand_) return;
    const std::string& op = out_.back();
    if (op.rfind("NEAR", 0) == 0 || op.rfind("ADJ", 0) == 0) {
      fail("'" + op + "' joins single words, not " + what, offset);
    }
  }

  // A phrase as emitted: quoted, or for the paired-phrase field, with or without a sign.
  static bool is_phrase(std::string_view piece) {
    if (!piece.empty() && (piece.front() == '-' || piece.front() == '+')) piece.remove_prefix(1);
    return (!piece.empty() && piece.back() == '"') || piece.rfind(kPairedPhraseField, 0) == 0;
  }

  void emit_operand(std::string piece) {
    out_.push_back(std::move(piece));
    expect_operand_ = false;
  }

  void step(std::vector<Filter>& filters) {
    const Lexeme& lx = lexemes_[index_];
    switch (lx.kind) {
      case Lexeme::kOpen:
        refuse_after_proximity("parentheses", lx.offset);
        parens_.push_back(lx.offset);
        if (parens_.size() > limits_.max_depth) {
          throw Error(ErrorCode::kLimitExceeded,
                      "parentheses nested deeper than " + std::to_string(limits_.max_depth) +
                          " levels (column " + std::to_string(column_of(query_, lx.offset)) + ")");
        }
        out_.push_back(std::exchange(group_sign_, {}) + "(");
        expect_operand_ = true;
        return;
      case Lexeme::kClose:
        if (parens_.empty()) fail("')' without a matching '('", lx.offset);
        if (!out_.empty() && (out_.back() == "(" || out_.back() == "-(")) {
          fail("empty parentheses", lx.offset);
        }
        if (expect_operand_ && !out_.empty() && is_operator(out_.back())) {
          fail("'" + out_.back() + "' needs a term after it", last_operator_offset_);
        }
        parens_.pop_back();
        out_.push_back(")");
        expect_operand_ = false;
        return;
      case Lexeme::kQuote: {
        const std::size_t offset = lx.offset;
        refuse_after_proximity("a phrase", offset);
        const std::string_view text = take_phrase();
        const auto tokens = analyse(text);
        count_terms(tokens.size(), offset);
        const std::string sign = std::exchange(phrase_sign_, {});
        if (!tokens.empty()) {
          emit_operand(with_sign(sign, with_compounds(text, tokens)));
        } else if (!dropped_offset_) {
          dropped_offset_ = offset;
        }
        return;
      }
      case Lexeme::kWord:
        word(lx, filters);
        return;
    }
  }

  void word(const Lexeme& lx, std::vector<Filter>& filters) {
    std::string_view w = lx.text;
    if (is_malformed_operator(w)) {
      fail("'" + std::string(w) + "' needs a number of words, like NEAR/5", lx.offset);
    }
    if (is_operator(w)) {
      if (w != "NOT" && (out_.empty() || expect_operand_)) {
        fail("'" + std::string(w) + "' needs a term before it", lx.offset);
      }
      if ((w.rfind("NEAR", 0) == 0 || w.rfind("ADJ", 0) == 0) && is_phrase(out_.back())) {
        fail("'" + std::string(w) + "' joins single words, not a phrase", lx.offset);
      }
      out_.emplace_back(w);
      last_operator_offset_ = lx.offset;
      expect_operand_ = true;
      return;
    }
    if ((w == "-" || w == "+") && index_ + 1 < lexemes_.size() &&
        lexemes_[index_ + 1].offset == lx.offset + 1) {
      // -"a phrase", +"a phrase": the sign is a word of its own before the quote.
      if (lexemes_[index_ + 1].kind == Lexeme::kQuote) {
        phrase_sign_ = std::string(w);
        return;
      }
      // -(a group): kept as "-(" for place_exclusions(); a + before a group changes nothing.
      if (lexemes_[index_ + 1].kind == Lexeme::kOpen) {
        if (w == "-") group_sign_ = "-";
        return;
      }
    }
    std::string sign;
    if (w.size() > 1 && (w[0] == '+' || w[0] == '-')) {
      sign = std::string(1, w[0]);
      w.remove_prefix(1);
    }
    if (const std::size_t colon = w.find(':');
        colon != std::string_view::npos && colon > 0 && is_alpha_field(w.substr(0, colon))) {
      field(lx, sign, lower(w.substr(0, colon)), w.substr(colon + 1), filters);
      return;
    }
    if (!w.empty() && w.back() == '*') {
      wildcard(lx, sign, w);
      return;
    }
    const auto tokens = analyse(w);
    count_terms(tokens.size(), lx.offset);
    if (tokens.empty()) {  // punctuation only
      if (!dropped_offset_) dropped_offset_ = lx.offset;
      return;
    }
    if (tokens.size() == 1) {
      emit_operand(sign + analyzer_.stem(tokens[0].term));
    } else {
      // "ASEAN-centred" or a run of Chinese words: the parts must appear together.
      emit_operand(with_sign(sign, with_compounds(w, tokens)));
    }
  }

  // A phrase of the words, or, where the text has sentence ends (positions skip there, as in
  // the index), "(" one phrase per sentence ")": a phrase across a sentence end never matches,
  // but people paste text with full stops in it.
  std::string phrase_of(const std::vector<Token>& tokens) const {
    std::vector<std::string> parts;
    std::size_t first = 0;
    for (std::size_t k = 1; k <= tokens.size(); ++k) {
      if (k < tokens.size() && tokens[k].position == tokens[k - 1].position + 1) continue;
      const std::vector<Token> part(tokens.begin() + static_cast<std::ptrdiff_t>(first),
                                    tokens.begin() + static_cast<std::ptrdiff_t>(k));
      parts.push_back(phrase_text(part));
      first = k;
    }
    if (parts.size() == 1) return parts.front();
    std::string out = "(";
    for (const auto& part : parts) out += (out.size() > 1 ? " " : "") + part;
    return out + ")";
  }

  // One sentence's phrase as QueryParser reads it: quoted, or for the paired-phrase field
  // when the index has a pair of two of its words (only stems of plain words, which QueryParser
  // keeps whole).
  std::string phrase_text(const std::vector<Token>& tokens) const {
    std::vector<std::string> stems;
    bool paired = false;
    bool plain = true;
    for (const auto& t : tokens) {
      stems.push_back(analyzer_.stem(t.term));
      plain = plain && !stems.back().empty() &&
              std::all_of(stems.back().begin(), stems.back().end(),
                          [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); });
      paired = paired || (stems.size() > 1 && pairs_.joins(stems[stems.size() - 2], stems.back()));
    }
    std::string out;
    for (const auto& s : stems) out += (out.empty() ? "" : (paired && plain ? "_" : " ")) + s;
    return paired && plain ? std::string(kPairedPhraseField) + ":" + out : "\"" + out + "\"";
  }

  // The phrase of `tokens` (analysed from `text`), or, where they hold hyphenated words,
  // "(" that phrase OR the phrase with those words written together ")": the index has both
  // forms of a hyphenated word (see hyphen_compounds), so "co-operation" finds
  // "cooperation" and the other way round.
  std::string with_compounds(std::string_view text, const std::vector<Token>& tokens) const {
    const std::string split = phrase_of(tokens);
    const auto compounds = hyphen_compounds(text, tokens);
    if (compounds.empty()) return split;
    std::vector<Token> joined;
    std::uint32_t shift = 0;  // positions the joined words saved so far
    std::size_t next = 0;
    const auto copy_until = [&](std::size_t end) {
      for (; next < end; ++next) {
        joined.push_back(tokens[next]);
        joined.back().position -= shift;
      }
    };
    for (const auto& compound : compounds) {
      copy_until(compound.first);
      Token word = tokens[compound.first];
      word.term = compound.term;
      word.position -= shift;
      joined.push_back(std::move(word));
      shift += static_cast<std::uint32_t>(compound.last - compound.first);
      next = compound.last + 1;
    }
    copy_until(tokens.size());
    const std::string together =
        joined.size() == 1 ? analyzer_.stem(joined.front().term) : phrase_of(joined);
    return "(" + split + " OR " + together + ")";
  }

  // A phrase or group with the sign written before it. place_exclusions() reads "-(" as an
  // excluded group; "+" changes nothing on a group under the default AND.
  static std::string with_sign(const std::string& sign, const std::string& piece) {
    if (sign == "+" && piece.front() == '(') return piece;
    return sign + piece;
  }

  void wildcard(const Lexeme& lx, const std::string& sign, std::string_view w) {
    while (!w.empty() && w.back() == '*') w.remove_suffix(1);
    const auto tokens = analyse(w);
    if (tokens.empty() || tokens.back().term.size() < 2) {
      fail("a wildcard needs at least two letters before '*'", lx.offset);
    }
    count_terms(tokens.size(), lx.offset);
    std::string piece = sign + "(";
    for (std::size_t k = 0; k + 1 < tokens.size(); ++k)
      piece += analyzer_.stem(tokens[k].term) + " ";
    piece += std::string(kWildcardField) + ":" + tokens.back().term + ")";
    emit_operand(std::move(piece));
  }

  void field(const Lexeme& lx, const std::string& sign, const std::string& name,
             std::string_view value, std::vector<Filter>& filters) {
    const auto& texts = text_fields();
    const auto& filter_names = filter_fields();
    const bool quoted = value.empty() && index_ + 1 < lexemes_.size() &&
                        lexemes_[index_ + 1].kind == Lexeme::kQuote &&
                        lexemes_[index_ + 1].offset == lx.offset + lx.text.size();
    if (quoted) {
      ++index_;
      value = take_phrase();
    }
    if (std::find(texts.begin(), texts.end(), name) != texts.end()) {
      const auto tokens = analyse(value);
      if (tokens.empty()) fail("'" + name + ":' needs words after it", lx.offset);
      count_terms(tokens.size(), lx.offset);
      if (tokens.size() == 1 && !quoted) {
        emit_operand(sign + name + ":" + analyzer_.stem(tokens[0].term));
      } else {
        emit_operand(sign + name + ":\"" + stems_of(tokens) + "\"");
      }
      return;
    }
    if (std::find(filter_names.begin(), filter_names.end(), name) != filter_names.end()) {
      const std::string_view v = trim(value);
      if (v.empty()) fail("'" + name + ":' needs a value", lx.offset);
      bool exclude = sign == "-";
      // Filters apply to the whole query: "AND region:x" is the same as "region:x", and
      // "NOT region:x" excludes; under OR the meaning would be unclear, so refuse it.
      if (!out_.empty() && expect_operand_ && is_operator(out_.back())) {
        const std::string op = out_.back();
        if (op == "NOT") {
          exclude = !exclude;
          out_.pop_back();
          if (!out_.empty() && out_.back() == "AND") out_.pop_back();
        } else if (op == "AND") {
          out_.pop_back();
        } else {
          fail("a filter (" + name + ":…) cannot follow '" + op +
                   "': filters apply to the whole query",
               lx.offset);
        }
        expect_operand_ = out_.empty() || out_.back() == "(";
      }
      if (!parens_.empty()) {
        fail("a filter (" + name +
                 ":…) cannot stand inside parentheses: filters apply to "
                 "the whole query",
             lx.offset);
      }
      filters.push_back(Filter{name, std::string(v), exclude});
      if (filters.size() > limits_.max_filters) {
        throw Error(ErrorCode::kLimitExceeded,
                    "more than " + std::to_string(limits_.max_filters) + " filters");
      }
      return;
    }
    std::string known;
    for (const auto& f : texts) known += (known.empty() ? "" : ", ") + f;
    for (const auto& f : filter_names) known += ", " + f;
    fail("unknown field '" + name + "' (fields: " + known +
             "); to search for the text itself, put it in quotes",
         lx.offset);
  }

  std::string_view query_;
  const Analyzer& analyzer_;
  const SearchLimits& limits_;
  const index::WordPairs& pairs_;
  std::vector<Lexeme> lexemes_;
  std::size_t index_ = 0;
  std::vector<std::string> out_;
  std::vector<std::size_t> parens_;
  std::size_t terms_ = 0;
  std::size_t last_operator_offset_ = 0;
  std::optional<std::size_t> dropped_offset_;  // a word or phrase that gave no term
  bool expect_operand_ = true;
  std::string phrase_sign_;  // "-" or "+" written just before the quote being read
  std::string group_sign_;   // "-" written just before the parenthesis being read
};

void collect(const Xapian::Query& q, bool negated, HighlightSpec& spec) {
  const auto type = q.get_type();
  if (type == Xapian::Query::LEAF_TERM) {
    if (negated) return;
    const std::string t = *q.get_terms_begin();
    if (!t.empty() && !(t[0] >= 'A' && t[0] <= 'Z')) spec.terms.insert(t);
    return;
  }
  // A phrase of two paired words, see PairedPhraseProcessor.
  if (type == Xapian::Query::OP_FILTER && q.get_subquery(0).get_type() == Xapian::Query::OP_AND) {
    const Xapian::Query pair = q.get_subquery(1);
    if (pair.get_type() == Xapian::Query::LEAF_TERM &&
        (*pair.get_terms_begin()).rfind(schema::kWordPair, 0) == 0) {
      if (negated) return;
      std::vector<std::string> phrase;
      const Xapian::Query words = q.get_subquery(0);
      for (std::size_t k = 0; k < words.get_num_subqueries(); ++k)
        phrase.push_back(*words.get_subquery(k).get_terms_begin());
      spec.phrases.push_back(std::move(phrase));
      return;
    }
  }
  if (type == Xapian::Query::OP_PHRASE) {
    if (negated) return;
    std::vector<std::string> phrase;
    for (std::size_t k = 0; k < q.get_num_subqueries(); ++k) {
      const Xapian::Query sub = q.get_subquery(k);
      if (sub.get_type() != Xapian::Query::LEAF_TERM) continue;
      const std::string t = *sub.get_terms_begin();
      if (t.empty() || (t[0] >= 'A' && t[0] <= 'Z')) return;  // a title:/section: phrase
      phrase.push_back(t);
    }
    if (!phrase.empty()) spec.phrases.push_back(std::move(phrase));
    return;
  }
  const std::size_t n = q.get_num_subqueries();
  for (std::size_t k = 0; k < n; ++k) {
    const bool sub_negated = negated || (type == Xapian::Query::OP_AND_NOT && k > 0);
    if (type == Xapian::Query::OP_FILTER && k > 0) continue;
    collect(q.get_subquery(k), sub_negated, spec);
  }
}

}  // namespace

CompiledQuery QueryCompiler::compile(std::string_view raw) {
  Impl& impl = *impl_;
  impl.parser.set_database(impl.db);  // the reader may have reopened its shards
  if (raw.size() > impl.limits.max_query_bytes) {
    throw Error(ErrorCode::kLimitExceeded,
                "query is longer than " + std::to_string(impl.limits.max_query_bytes) + " bytes");
  }
  // Repair once at the boundary so the analyzer and Xapian see the same characters.
  const std::string query = repair_utf8(raw).text;
  CompiledQuery compiled;
  bool match_all = false;
  impl.refresh_pairs();
  FirstPass pass(query, impl.analyzer, impl.limits, impl.pairs);
  const std::string normalised = pass.run(compiled.filters, match_all);
  if (match_all) return compiled;
  impl.wildcard.warnings.clear();
  try {
    constexpr unsigned kFlags =
        Xapian::QueryParser::FLAG_BOOLEAN | Xapian::QueryParser::FLAG_PHRASE |
        Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_PURE_NOT;
    compiled.query = impl.parser.parse_query(normalised, kFlags);
  } catch (const Xapian::QueryParserError& e) {
    throw QuerySyntaxError("query does not parse: " + e.get_msg(), 1);
  } catch (const Xapian::Error& e) {
    throw Error(ErrorCode::kInvalidQuery, "query cannot be run: " + e.get_msg());
  }
  compiled.warnings = impl.wildcard.warnings;
  compiled.highlight = highlight_spec(compiled.query);
  return compiled;
}

HighlightSpec highlight_spec(const Xapian::Query& query) {
  HighlightSpec spec;
  if (!query.empty()) collect(query, false, spec);
  return spec;
}

}  // namespace concord::search
