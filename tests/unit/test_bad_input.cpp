// Bad input gets a clear error per file, and the good files of a batch still land.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <sys/wait.h>

#include <unistd.h>
#include <cstdio>

#include "concord/error.hpp"
#include "concord/index.hpp"
#include "concord/indexer.hpp"
#include "concord/ingest.hpp"
#include "concord/search.hpp"
#include "test_support.hpp"

using namespace concord;
namespace fs = std::filesystem;

namespace {

const FileOutcome& outcome_for(const IndexReport& r, const std::string& name) {
  for (const auto& f : r.files) {
    if (fs::path(f.path).filename() == name) return f;
  }
  throw std::runtime_error("no outcome for " + name);
}

}  // namespace

TEST_CASE("a batch with bad files indexes the good ones and reports each failure",
          "[integration][bad-input]") {
  test::TempDir dir;
  const fs::path docs = dir / "docs";
  test::write_file(docs / "good.txt", "A good paper about peace.\n");
  test::write_file(docs / "also-good.md", "# Title\n\nAnother good paper about peace.\n");
  test::write_file(docs / "empty.txt", "");
  test::write_file(docs / "blank.txt", "   \n\n \t \n");
  test::write_file(docs / "binary.txt", std::string("\x7f"
                                                    "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0",
                                                    16) +
                                            std::string(200, '\0'));
  test::write_file(docs / "broken.txt", "Valid start \xFF\xFE then peace again.\n");
  test::write_file(docs / "latin1.txt", "Caf\xE9 diplomacy in C\xF4te d'Ivoire brings peace.\n");
  test::write_file(docs / "bad-sidecar.txt", "Text with a broken sidecar.\n");
  test::write_file(docs / "bad-sidecar.meta.json", "{ not json");
  fs::create_directories(docs / "folder.txt");  // a directory that looks like a file
  fs::create_symlink(docs / "missing-target.txt", docs / "dangling.txt");
  ::mkfifo((docs / "pipe.txt").c_str(), 0600);

  IndexRunOptions options;
  options.index_dir = dir / "index";
  options.inputs = {docs, dir / "does-not-exist"};
  const IndexReport r = run_index(options);
  CHECK(r.committed);

  CHECK(outcome_for(r, "good.txt").status == FileOutcome::Status::kAdded);
  CHECK(outcome_for(r, "also-good.md").status == FileOutcome::Status::kAdded);
  CHECK_THAT(outcome_for(r, "empty.txt").message, Catch::Contains("empty file"));
  CHECK_THAT(outcome_for(r, "blank.txt").message, Catch::Contains("empty file"));
  CHECK_THAT(outcome_for(r, "binary.txt").message, Catch::Contains("binary file"));
  CHECK_THAT(outcome_for(r, "bad-sidecar.txt").message,
             Catch::Contains("bad-sidecar.meta.json:1:"));
  CHECK_THAT(outcome_for(r, "does-not-exist").message,
             Catch::Contains("no such file or directory"));
  // Repaired and decoded files are indexed, with a warning saying what happened.
  const auto& broken = outcome_for(r, "broken.txt");
  CHECK(broken.status == FileOutcome::Status::kAdded);
  REQUIRE(broken.warnings.size() == 1);
  CHECK_THAT(broken.warnings[0], Catch::Contains("invalid UTF-8") && Catch::Contains("byte 12"));
  const auto& latin1 = outcome_for(r, "latin1.txt");
  CHECK(latin1.status == FileOutcome::Status::kAdded);
  CHECK_THAT(latin1.warnings[0], Catch::Contains("Windows-1252"));
  // Entries of a walked directory that cannot be read are failures too, never skipped quietly.
  CHECK_THAT(outcome_for(r, "dangling.txt").message, Catch::Contains("broken symbolic link"));
  CHECK_THAT(outcome_for(r, "pipe.txt").message, Catch::Contains("not a regular file"));
  CHECK(r.failed == 7);
  CHECK(r.added == 4);

  IndexReader reader = IndexReader::open(IndexLocation::directory(dir / "index"));
  Searcher searcher(reader);
  SearchRequest request;
  request.query = "peace";
  CHECK(searcher.search(request).total == 4);
  request.query = "cote divoire";  // decoded from Latin-1, then folded
  const auto found = searcher.search(request);
  REQUIRE(found.total == 1);
  CHECK(found.results[0].text.find("Côte d'Ivoire") != std::string::npos);
}

TEST_CASE("files over the size limit are refused and huge paragraphs are split",
          "[integration][bad-input]") {
  test::TempDir dir;
  IngestOptions small;
  small.max_file_bytes = 1024;
  test::write_file(dir / "big.txt", std::string(4096, 'a'));
  CHECK_THROWS_WITH(read_paper(dir / "big.txt", small), Catch::Contains("file too large"));

  std::string one_line;
  while (one_line.size() < 3'000'000)
    one_line += "Peace and security are indivisible in every region. ";
  test::write_file(dir / "docs" / "huge.txt", one_line);
  IndexRunOptions options;
  options.index_dir = dir / "index";
  options.inputs = {dir / "docs"};
  const IndexReport r = run_index(options);
  REQUIRE(r.added == 1);
  CHECK(r.paragraphs_written >= 3'000'000 / (64 * 1024));
  IndexReader reader = IndexReader::open(IndexLocation::directory(dir / "index"));
  Searcher searcher(reader);
  SearchRequest request;
  request.query = "\"indivisible in every region\"";
  const auto found = searcher.search(request);
  CHECK(found.total == r.paragraphs_written);
  CHECK(found.results[0].snippet.size() < 1024);
}

TEST_CASE("unreadable and odd paths give per-file errors", "[integration][bad-input]") {
  test::TempDir dir;
  test::write_file(dir / "locked.txt", "secret\n");
  ::chmod((dir / "locked.txt").c_str(), 0);
  if (::geteuid() !=
      0) {  // root reads anything; the permission check only means something otherwise
    CHECK_THROWS_WITH(read_paper(dir / "locked.txt"), Catch::Contains("cannot open"));
  }
  CHECK_THROWS_WITH(read_paper(dir / "nothing-here.txt"), Catch::Contains("no such file"));
  fs::create_directories(dir / "dir.txt");
  CHECK_THROWS_WITH(read_paper(dir / "dir.txt"), Catch::Contains("is a directory"));
  test::write_file(dir / "paper.pdfx", "text");
  CHECK_THROWS_WITH(read_paper(dir / "paper.pdfx"), Catch::Contains("unsupported file type"));
  ::mkfifo((dir / "pipe.txt").c_str(), 0600);
  CHECK_THROWS_WITH(read_paper(dir / "pipe.txt"), Catch::Contains("not a regular file"));
}

// What a user without the right to read a directory sees. As root (CI) the permission
// checks mean nothing, so the run happens in a child process that drops to user nobody.
TEST_CASE("an unreadable directory is a reported failure and --prune keeps its papers",
          "[integration][bad-input]") {
  test::TempDir dir;
  test::write_file(dir / "docs" / "open" / "a.txt", "Alpha speaks of peace.\n");
  test::write_file(dir / "docs" / "locked" / "b.txt", "Beta speaks of peace.\n");
  IndexRunOptions options;
  options.index_dir = dir / "index";
  options.inputs = {dir / "docs"};
  REQUIRE(run_index(options).added == 2);

  const auto run_as_user = [&]() -> int {
    options.prune = true;
    try {
      const IndexReport r = run_index(options);
      const auto& locked = outcome_for(r, "locked");
      if (r.failed != 1 || locked.message.find("cannot list directory") == std::string::npos)
        return 10;
      if (r.removed != 0) return 11;  // b.txt still exists: pruning it would lose data
      if (r.unchanged != 1) return 12;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "indexing as another user failed: %s\n", e.what());
      return 13;
    }
    return 0;
  };
  int code = 0;
  if (::geteuid() != 0) {
    ::chmod((dir / "docs" / "locked").c_str(), 0);
    code = run_as_user();
  } else {
    for (const auto& p : fs::recursive_directory_iterator(dir.path())) {
      ::chmod(p.path().c_str(), p.is_directory() ? 0777 : 0666);
    }
    ::chmod(dir.path().c_str(), 0777);
    ::chmod((dir / "docs" / "locked").c_str(), 0);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(20);
      ::_exit(run_as_user());
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    REQUIRE(WIFEXITED(status));
    code = WEXITSTATUS(status);
  }
  ::chmod((dir / "docs" / "locked").c_str(), 0755);
  CHECK(code == 0);
  IndexReader reader = IndexReader::open(IndexLocation::directory(dir / "index"));
  CHECK(reader.document_count() == 2);
}

TEST_CASE("an index directory that is not an index is never overwritten",
          "[integration][bad-input]") {
  test::TempDir dir;
  test::write_file(dir / "notes" / "important.txt", "keep me\n");
  test::write_file(dir / "docs" / "a.txt", "Alpha.\n");
  IndexRunOptions options;
  options.index_dir = dir / "notes";
  options.inputs = {dir / "docs"};
  CHECK_THROWS_WITH(run_index(options), Catch::Contains("is not a Concord index"));
  CHECK(test::read_file(dir / "notes" / "important.txt") == "keep me\n");
  try {
    IndexReader::open(IndexLocation::directory(dir / "notes"));
    FAIL("opened a non-index");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::kCorrupt);
  }
  try {
    IndexReader::open(IndexLocation::directory(dir / "nowhere"));
    FAIL("opened a missing index");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::kNotFound);
    CHECK_THAT(e.what(), Catch::Contains("concord index"));
  }
}

TEST_CASE("a 100 MB single paragraph is indexed as bounded entries", "[integration][bad-input]") {
  test::TempDir dir;
  const std::string sentence =
      "Peace and security are indivisible in every region, and the world is one. ";
  std::string text;
  text.reserve((100u << 20) + sentence.size());
  while (text.size() < (100u << 20)) text += sentence;
  test::write_file(dir / "docs" / "huge.txt", text);
  text.clear();
  text.shrink_to_fit();
  IndexRunOptions options;
  options.index_dir = dir / "index";
  options.inputs = {dir / "docs"};
  const IndexReport r = run_index(options);
  REQUIRE(r.added == 1);
  // Entries of at most 64 KiB: every one holds the sentence, none holds the whole file.
  CHECK(r.paragraphs_written >= (100u << 20) / (64u << 10));
  IndexReader reader = IndexReader::open(IndexLocation::directory(dir / "index"));
  Searcher searcher(reader);
  SearchRequest request;
  request.query = "\"the world is one\"";
  const auto found = searcher.search(request);
  CHECK(found.total == r.paragraphs_written);
  CHECK(found.results[0].snippet.size() < 1024);
}

TEST_CASE("NUL bytes make a file binary, reported alone", "[integration][bad-input]") {
  test::TempDir dir;
  test::write_file(dir / "docs" / "nul.txt", std::string("Peace\0and\0security\0", 20));
  test::write_file(dir / "docs" / "fine.txt", "Peace and security.\n");
  IndexRunOptions options;
  options.index_dir = dir / "index";
  options.inputs = {dir / "docs"};
  const IndexReport r = run_index(options);
  CHECK(r.added == 1);
  CHECK(r.failed == 1);
  CHECK_THAT(outcome_for(r, "nul.txt").message, Catch::Contains("binary file, not text"));
}
