// Sidecars, front matter and datelines.
#include <catch2/catch.hpp>

#include "concord/error.hpp"
#include "concord/ingest.hpp"
#include "test_support.hpp"

using namespace concord;

TEST_CASE("datelines in English and Chinese", "[unit][metadata]") {
  struct Row {
    std::string line, issuer, place, date;
  };
  const Row rows[] = {
      {"Xinhua News Agency, Beijing, February 21st", "Xinhua News Agency", "Beijing", "--02-21"},
      {"Beijing, 21 February 2023", "", "Beijing", "2023-02-21"},
      {"Washington, December 18, 2017", "", "Washington", "2017-12-18"},
      {"新华社北京2月21日电", "新华社", "北京", "--02-21"},
  };
  for (const auto& row : rows) {
    INFO(row.line);
    const auto d = parse_dateline(row.line);
    REQUIRE(d);
    CHECK(d->issuer == row.issuer);
    CHECK(d->place == row.place);
    CHECK(d->date == row.date);
  }
  CHECK_FALSE(parse_dateline("Security issues concern the well-being of the people, in May 2"));
  CHECK_FALSE(parse_dateline("1. Background"));
  CHECK_FALSE(parse_dateline("Mr. President,"));
}

TEST_CASE("sidecar fields are validated and unknown keys kept", "[unit][metadata]") {
  const DocumentMeta m = parse_sidecar(
      R"({"id": "My Paper", "title": "T", "date": "2023-02", "lang": "EN", "url": "http://x"})",
      "x.meta.json");
  CHECK(m.id == "my-paper");
  CHECK(m.date == "2023-02");
  CHECK(m.language == "en");
  CHECK(m.extra.at("url") == "http://x");
  CHECK(m.year() == 2023);
}

TEST_CASE("bad sidecars name the file, line and column or key", "[unit][metadata]") {
  try {
    parse_sidecar("{\n  \"title\": \"x\",\n  oops\n}", "paper.meta.json");
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::kInvalidInput);
    CHECK(std::string(e.what()).find("paper.meta.json:3:") != std::string::npos);
  }
  // Found by fuzzing: a number beyond double's range is a clear error, not a crash.
  CHECK_THROWS_WITH(parse_sidecar(R"({"pages": 9E700})", "p.json"),
                    Catch::Contains("p.json: sidecar is not valid JSON (a value is out of range)"));
  CHECK_THROWS_WITH(parse_sidecar(R"({"date": "21/02/2023"})", "p.json"),
                    Catch::Contains("date '21/02/2023' is not ISO 8601"));
  CHECK_THROWS_WITH(parse_sidecar(R"({"title": ["a"]})", "p.json"),
                    Catch::Contains("'title' must be a string"));
  CHECK_THROWS_WITH(parse_sidecar(R"([1,2])", "p.json"), Catch::Contains("must be a JSON object"));
}

TEST_CASE("front matter gives Markdown metadata, a sidecar wins over it", "[unit][metadata]") {
  test::TempDir dir;
  test::write_file(dir / "paper.md",
                   "---\ntitle: From Front Matter\ndate: 2020-01-02\nissuer: A\n---\n\n# "
                   "Heading\n\nBody text here.\n");
  Paper p = read_paper(dir / "paper.md");
  CHECK(p.meta.title == "From Front Matter");
  CHECK(p.meta.date == "2020-01-02");
  CHECK(p.paragraphs.size() == 1);
  test::write_file(dir / "paper.meta.json", R"({"title": "From Sidecar", "issuer": "B"})");
  p = read_paper(dir / "paper.md");
  CHECK(p.meta.title == "From Sidecar");
  CHECK(p.meta.issuer == "B");
  CHECK(p.meta.date == "2020-01-02");
}

TEST_CASE("a paper without metadata gets its id and title from the file name", "[unit][metadata]") {
  test::TempDir dir;
  test::write_file(dir / "CHN_77_2022.txt", "It is an honour to speak here.\n");
  const Paper p = read_paper(dir / "CHN_77_2022.txt");
  CHECK(p.meta.id == "chn_77_2022");
  CHECK(p.meta.title == "CHN_77_2022");
  CHECK(p.meta.language == "en");
  CHECK(p.meta.date == "2022");  // the one year in the name; 77 is the session

  // The name of an opening section is not the paper's title, and stays in its text.
  test::write_file(dir / "nss.txt", "Preface\n\nOur great Nation stands at a crossroads.\n");
  const Paper preface = read_paper(dir / "nss.txt");
  CHECK(preface.meta.title == "nss");
  REQUIRE(preface.paragraphs.size() == 2);
  CHECK(preface.paragraphs[0].text == "Preface");
  test::write_file(dir / "gwr.txt",
                   "政府工作报告\n\n各位代表：现在，我代表国务院，向大会报告政府工作。\n");
  CHECK(read_paper(dir / "gwr.txt").meta.title == "政府工作报告");
}

TEST_CASE("a file name dates a paper that has no other date", "[unit][metadata]") {
  test::TempDir dir;
  const auto date_of = [&](const std::string& name, const std::string& text = "Some text.\n") {
    test::write_file(dir / name, text);
    return read_paper(dir / name).meta.date;
  };
  CHECK(date_of("2017.txt") == "2017");
  CHECK(date_of("brief-2023-02-21.md") == "2023-02-21");
  CHECK(date_of("brief_2023_02_21.txt") == "2023-02-21");
  CHECK(date_of("note 20190304.txt") == "2019-03-04");
  CHECK(date_of("UNGA79 speech 2024.txt") == "2024");
  // Nothing that reads as one date: no date rather than a guess.
  CHECK(date_of("review 1990-2000.txt").empty());
  CHECK(date_of("resolution 1325.txt").empty());
  CHECK(date_of("notes.txt").empty());
  CHECK(date_of("2023-13-45.txt") == "2023");  // not a calendar date, still one year
  // Every other source wins over the name; a dateline's month and day take its year.
  CHECK(date_of("front-2019.md", "---\ndate: 2021-05-06\n---\nText.\n") == "2021-05-06");
  CHECK(date_of("dateline-2023.txt",
                "Xinhua News Agency, Beijing, February 21st\n\nThe paper's first paragraph.\n") ==
        "2023-02-21");
  test::write_file(dir / "sidecar-2019.txt", "Text.\n");
  test::write_file(dir / "sidecar-2019.meta.json", R"({"date": "2020-01-02"})");
  CHECK(read_paper(dir / "sidecar-2019.txt").meta.date == "2020-01-02");
}
