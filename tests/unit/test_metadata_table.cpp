// Metadata tables: one CSV for many files.
#include <catch2/catch.hpp>

#include "concord/error.hpp"
#include "concord/index.hpp"
#include "concord/indexer.hpp"
#include "concord/ingest.hpp"
#include "concord/search.hpp"
#include "test_support.hpp"

using namespace concord;

TEST_CASE("a metadata table gives papers their country and year", "[integration][metadata]") {
  test::TempDir dir;
  test::write_file(dir / "docs" / "Session 77 - 2022" / "NGA_77_2022.txt",
                   "Peace in the Sahel matters to us.\n");
  test::write_file(dir / "docs" / "Session 78 - 2023" / "CHN_78_2023.txt",
                   "Peace and development in Asia.\n");
  test::write_file(dir / "meta.csv",
                   "path,country_iso3,session,year\n"
                   "Session 77 - 2022/NGA_77_2022.txt,NGA,77,2022\n"
                   "\"Session 78 - 2023/CHN_78_2023.txt\",CHN,78,2023\n");
  IndexRunOptions options;
  options.index_dir = dir / "index";
  options.inputs = {dir / "docs"};
  options.metadata_table = (dir / "meta.csv").string();
  REQUIRE(run_index(options).added == 2);
  IndexReader reader = IndexReader::open(IndexLocation::directory(dir / "index"));
  const auto nga = reader.document("nga_77_2022");
  REQUIRE(nga);
  CHECK(nga->meta.country == "Nigeria");
  CHECK(nga->meta.date == "2022");
  CHECK(nga->meta.extra.at("session") == "77");
  Searcher searcher(reader);
  SearchRequest request;
  request.query = "peace";
  request.filters = {Filter{"country", "Nigeria", false}};
  CHECK(searcher.search(request).total == 1);
  request.filters = {Filter{"year", "2023", false}};
  CHECK(searcher.search(request).total == 1);
  // Changing a row re-indexes that paper only.
  test::write_file(dir / "meta.csv",
                   "path,country_iso3,session,year\n"
                   "Session 77 - 2022/NGA_77_2022.txt,NGA,77,2021\n"
                   "\"Session 78 - 2023/CHN_78_2023.txt\",CHN,78,2023\n");
  const auto again = run_index(options);
  CHECK(again.updated == 1);
  CHECK(again.unchanged == 1);
}

TEST_CASE("a malformed metadata table names the file and line", "[unit][metadata]") {
  CHECK_THROWS_WITH(MetadataTable::parse("name,year\na,2020\n", "m.csv"),
                    Catch::Contains("m.csv:1: the header has no 'path' column"));
  CHECK_THROWS_WITH(MetadataTable::parse("path,year\na.txt,2020,extra\n", "m.csv"),
                    Catch::Contains("m.csv:2: expected 2 fields, found 3"));
  CHECK_THROWS_WITH(MetadataTable::parse("path,year\na.txt,20x0\n", "m.csv"),
                    Catch::Contains("m.csv:2: year '20x0'"));
  CHECK_THROWS_WITH(MetadataTable::parse("path,year\n\"a.txt,2020\n", "m.csv"),
                    Catch::Contains("unterminated"));
}
