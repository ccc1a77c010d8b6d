// UTF-8 repair, escaping and small string helpers.
#include <catch2/catch.hpp>

#include "concord/text.hpp"

using namespace concord;

TEST_CASE("valid UTF-8 passes through unchanged", "[unit][text]") {
  const std::string s = "Côte d’Ivoire 全球安全倡议 \xF0\x9F\x8C\x8D";
  const auto r = repair_utf8(s);
  CHECK(r.text == s);
  CHECK(r.invalid_sequences == 0);
  CHECK(is_valid_utf8(s));
}

TEST_CASE("invalid UTF-8 becomes U+FFFD per maximal subpart", "[unit][text]") {
  struct Row {
    std::string in, out;
    std::size_t invalid;
  };
  const Row rows[] = {
      {"a\xFF"
       "b",
       "a\xEF\xBF\xBD"
       "b",
       1},                            // stray byte
      {"a\xC3", "a\xEF\xBF\xBD", 1},  // truncated at end
      {"\xE2\x82"
       "x",
       "\xEF\xBF\xBD"
       "x",
       1},                                          // truncated 3-byte sequence is one subpart
      {"\xC0\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD", 2},  // overlong encoding
      {"\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD", 3},  // UTF-16 surrogate
      {"\xF4\x90\x80\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD", 4},  // > U+10FFFF
  };
  for (const auto& row : rows) {
    INFO("input bytes: " << row.in.size());
    const auto r = repair_utf8(row.in);
    CHECK(r.text == row.out);
    CHECK(r.invalid_sequences == row.invalid);
    CHECK(is_valid_utf8(r.text));
    CHECK_FALSE(is_valid_utf8(row.in));
  }
}

TEST_CASE("NUL bytes are dropped and counted", "[unit][text]") {
  const auto r = repair_utf8(std::string("a\0b\0", 4));
  CHECK(r.text == "ab");
  CHECK(r.nul_bytes == 2);
}

TEST_CASE("HTML escaping covers text and attribute contexts", "[unit][text]") {
  CHECK(html_escape("<script>alert('x') & \"y\"</script>") ==
        "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
}

TEST_CASE("trim removes Unicode spaces, slugify keeps ASCII letters and digits", "[unit][text]") {
  CHECK(trim("\xE3\x80\x80 text\xC2\xA0 ") == "text");
  CHECK(trim("   ") == "");
  CHECK(slugify("Global Security Initiative: Concept Paper (2023)") ==
        "global-security-initiative-concept-paper-2023");
  CHECK(slugify("AGO_77_2022") == "ago_77_2022");
  CHECK(utf8_prefix("全球", 4) == "全");
}
