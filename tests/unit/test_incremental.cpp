// Incremental re-indexing: unchanged files skipped, changed replaced, vanished pruned.
#include <catch2/catch.hpp>

#include "concord/error.hpp"
#include "concord/index.hpp"
#include "concord/indexer.hpp"
#include "concord/search.hpp"
#include "test_support.hpp"

using namespace concord;

namespace {

IndexReport index_dir(const test::TempDir& dir, bool prune = false) {
  IndexRunOptions options;
  options.index_dir = dir / "index";
  options.inputs = {dir / "docs"};
  options.prune = prune;
  return run_index(options);
}

std::uint64_t hits(const test::TempDir& dir, const std::string& query) {
  IndexReader reader = IndexReader::open(IndexLocation::directory(dir / "index"));
  Searcher searcher(reader);
  SearchRequest request;
  request.query = query;
  return searcher.search(request).total;
}

}  // namespace

TEST_CASE("re-indexing skips unchanged files and replaces changed ones",
          "[integration][incremental]") {
  test::TempDir dir;
  test::write_file(dir / "docs" / "a.txt",
                   "Alpha paper\n\nThe alpha text about rivers.\n\nMore alpha.\n");
  test::write_file(dir / "docs" / "b.txt", "Beta paper\n\nThe beta text about oceans.\n");
  auto r = index_dir(dir);
  CHECK(r.added == 2);
  CHECK(r.index_paragraphs == 3);

  r = index_dir(dir);
  CHECK(r.added == 0);
  CHECK(r.unchanged == 2);
  CHECK(r.paragraphs_written == 0);
  CHECK(r.index_paragraphs == 3);

  test::write_file(dir / "docs" / "a.txt", "Alpha paper\n\nThe alpha text about mountains.\n");
  r = index_dir(dir);
  CHECK(r.updated == 1);
  CHECK(r.unchanged == 1);
  CHECK(r.index_paragraphs == 2);
  CHECK(hits(dir, "rivers") == 0);
  CHECK(hits(dir, "mountains") == 1);

  // A sidecar change is a change of the paper.
  test::write_file(dir / "docs" / "b.meta.json", R"({"title": "Beta, retitled", "date": "2021"})");
  r = index_dir(dir);
  CHECK(r.updated == 1);
  CHECK(hits(dir, "title:retitled oceans") == 1);
  CHECK(hits(dir, "year:2021 oceans") == 1);
}

TEST_CASE("pruning drops papers whose files are gone, remove drops by id",
          "[integration][incremental]") {
  test::TempDir dir;
  test::write_file(dir / "docs" / "a.txt", "Alpha text.\n");
  test::write_file(dir / "docs" / "sub" / "b.txt", "Beta text.\n");
  REQUIRE(index_dir(dir).added == 2);
  std::filesystem::remove(dir / "docs" / "sub" / "b.txt");
  auto r = index_dir(dir);  // without --prune nothing is removed
  CHECK(r.removed == 0);
  CHECK(r.index_documents == 2);
  r = index_dir(dir, true);
  CHECK(r.removed == 1);
  CHECK(r.index_documents == 1);
  CHECK(hits(dir, "beta") == 0);

  r = remove_documents(dir / "index", {"a", "nope"});
  CHECK(r.removed == 1);
  CHECK(r.failed == 1);
  CHECK(hits(dir, "alpha") == 0);
}

TEST_CASE("two files with the same name in different folders keep distinct ids",
          "[integration][incremental]") {
  test::TempDir dir;
  test::write_file(dir / "docs" / "2022" / "statement.txt", "Statement of 2022 on rivers.\n");
  test::write_file(dir / "docs" / "2023" / "statement.txt", "Statement of 2023 on rivers.\n");
  auto r = index_dir(dir);
  CHECK(r.added == 2);
  CHECK(r.index_documents == 2);
  CHECK(hits(dir, "rivers") == 2);
  r = index_dir(dir);  // stable: the second run finds both unchanged
  CHECK(r.unchanged == 2);
  CHECK(r.index_documents == 2);
}

TEST_CASE("a second writer gets a clear busy error", "[integration][incremental]") {
  test::TempDir dir;
  test::write_file(dir / "docs" / "a.txt", "Alpha text.\n");
  REQUIRE(index_dir(dir).added == 1);
  IndexWriter first = IndexWriter::open(dir / "index");
  try {
    IndexWriter second = IndexWriter::open(dir / "index");
    FAIL("second writer opened");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::kBusy);
    CHECK_THAT(e.what(), Catch::Contains("another process is writing"));
  }
}

TEST_CASE("uncommitted changes are invisible and discarded", "[integration][incremental]") {
  test::TempDir dir;
  test::write_file(dir / "docs" / "a.txt", "Alpha text.\n");
  REQUIRE(index_dir(dir).added == 1);
  {
    IndexWriter writer = IndexWriter::open(dir / "index");
    REQUIRE(writer.remove("a"));
    IndexReader reader = IndexReader::open(IndexLocation::directory(dir / "index"));
    CHECK(reader.document_count() == 1);  // a reader still sees the committed state
  }                                       // destroyed without commit
  CHECK(hits(dir, "alpha") == 1);
}

TEST_CASE("a parallel build replaces papers put twice and drops removed ones",
          "[integration][incremental][parallel]") {
  test::TempDir dir;
  // Segments of 4 paragraphs: papers put again, and the removal, reach closed segments.
  // Of 1: more segments than one merge takes, so they are merged in rounds.
  const std::string segments = GENERATE(std::string(), std::string("4"), std::string("1"));
  test::ScopedEnv segment_size("CONCORD_SEGMENT_PARAGRAPHS", segments);
  for (const unsigned threads : {1U, 2U, 3U}) {
    const auto where = dir / ("index-" + std::to_string(threads) + "-" + segments);
    IndexWriter writer = IndexWriter::open(where, "english", threads);
    for (int i = 0; i < 40; ++i) {
      Paper paper;
      paper.meta.id = "p" + std::to_string(i % 30);  // ten ids are put twice
      paper.meta.title = "Paper " + std::to_string(i);
      Paragraph para;
      para.ordinal = 1;
      para.text = "version " + std::to_string(i) + " of the text about cooperation";
      paper.paragraphs = {para};
      writer.put(paper, "fp" + std::to_string(i));
    }
    CHECK(writer.remove("p3"));
    CHECK_FALSE(writer.remove("nothing"));
    CHECK(writer.find("p5")->fingerprint == "fp35");
    CHECK(writer.paragraph_count() == 29);
    writer.commit();
    CHECK(writer.paragraph_count() == 29);
    CHECK(writer.document_count() == 29);
    IndexReader reader = IndexReader::open(IndexLocation::directory(where));
    CHECK(reader.paragraph_count() == 29);
    CHECK(reader.document("p5")->meta.title == "Paper 35");
    CHECK_FALSE(reader.document("p3"));
    CHECK(reader.paragraph("p7:1")->paragraph.text == "version 37 of the text about cooperation");
    // The writer goes on serially on the merged index.
    CHECK(writer.remove("p7"));
    writer.commit();
    CHECK(writer.document_count() == 28);
    CHECK_FALSE(std::filesystem::exists(
        dir / (".index-" + std::to_string(threads) + "-" + segments + ".building")));
  }
}

TEST_CASE("a rebuild replaces the index only at its commit",
          "[integration][incremental][parallel]") {
  test::TempDir dir;
  test::write_file(dir / "docs" / "a.txt", "Alpha text.\n");
  test::write_file(dir / "docs" / "b.txt", "Beta text.\n");
  REQUIRE(index_dir(dir).added == 2);
  {
    IndexWriter writer = IndexWriter::rebuild(dir / "index");
    Paper paper;
    paper.meta.id = "c";
    paper.paragraphs = {Paragraph{}};
    paper.paragraphs[0].text = "Gamma text.";
    paper.paragraphs[0].ordinal = 1;
    writer.put(paper, "x");
    CHECK(hits(dir, "alpha") == 1);  // readers still see the old index
  }                                  // abandoned: the old index stays, the staging goes
  CHECK(hits(dir, "alpha") == 1);
  CHECK_FALSE(std::filesystem::exists(dir / ".index.building"));

  std::filesystem::remove(dir / "docs" / "b.txt");
  IndexRunOptions options;
  options.index_dir = dir / "index";
  options.inputs = {dir / "docs"};
  options.rebuild = true;
  const IndexReport r = run_index(options);
  CHECK(r.added == 1);
  CHECK(r.index_documents == 1);
  CHECK(hits(dir, "alpha") == 1);
  CHECK(hits(dir, "beta") == 0);
}
