// Faults while writing: a full disk, a directory that cannot hold an index, a killed run.
// Each case checks the error a user sees and that the last committed index is intact.
#include <unistd.h>

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace ct = concord::test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// A corpus big enough that its index does not fit in a few hundred kilobytes.
void write_papers(const fs::path& dir, int papers) {
  for (int p = 0; p < papers; ++p) {
    std::string text = "Paper number " + std::to_string(p) + "\n\n";
    for (int i = 0; i < 40; ++i) {
      text += "Paragraph " + std::to_string(i) + " of paper " + std::to_string(p) +
              " discusses maritime security, nuclear disarmament and the word" +
              std::to_string(p * 100 + i) + " in the context of regional cooperation.\n\n";
    }
    ct::write_file(dir / ("paper-" + std::to_string(p) + ".txt"), text);
  }
}

// Runs concord with the file-size limit at `kib` KiB and SIGXFSZ ignored, so writes past it
// fail with EFBIG exactly as writes to a full disk fail with ENOSPC.
ct::ProcessResult concord_with_file_limit(int kib, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {
      "/bin/bash", "-c", "trap '' XFSZ; ulimit -f " + std::to_string(kib) + "; exec \"$0\" \"$@\"",
      ct::concord_binary().string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return ct::run(argv);
}

std::int64_t total(const std::string& index, const std::string& query) {
  const auto r = ct::concord({"search", "--index", index, "--json", query, "--limit", "1"});
  REQUIRE(r.exit_code == 0);
  return json::parse(r.out)["total"].get<std::int64_t>();
}

bool xapian_check(const std::string& index) {
  return ct::run({"/usr/bin/xapian-check", index}).exit_code == 0;
}

}  // namespace

TEST_CASE("a full disk during an update leaves the committed index intact", "[cli][faults]") {
  ct::TempDir dir;
  const std::string index = (dir / "index").string();
  const std::string sample = (ct::source_dir() / "sample_docs").string();
  REQUIRE(ct::concord({"index", "--index", index, sample}).exit_code == 0);
  write_papers(dir / "more", 150);

  const auto r = concord_with_file_limit(256, {"index", "--index", index, (dir / "more").string()});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains(index) && Catch::Contains("File too large"));
  CHECK_THAT(r.err, !Catch::Contains("terminate") && !Catch::Contains("what()"));
  CHECK(xapian_check(index));
  CHECK(total(index, "*") == 114);
  CHECK(total(index, "maritime") == total(index, "maritime"));  // opens repeatedly

  // With room again, the same command completes the work.
  const auto again = ct::concord({"index", "--index", index, (dir / "more").string()});
  CHECK(again.exit_code == 0);
  CHECK(total(index, "*") == 114 + 150 * 40);
  CHECK(xapian_check(index));
}

TEST_CASE("a full disk during a new build leaves no index and no staging", "[cli][faults]") {
  ct::TempDir dir;
  const std::string index = (dir / "index").string();
  write_papers(dir / "docs", 150);
  const auto r = concord_with_file_limit(256, {"index", "--index", index, (dir / "docs").string()});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("File too large"));
  CHECK_FALSE(fs::exists(dir / ".index.building"));
  // What is there is the empty index the run started from.
  CHECK(total(index, "*") == 0);
  CHECK(ct::concord({"index", "--index", index, (dir / "docs").string()}).exit_code == 0);
  CHECK(total(index, "*") == 150 * 40);
}

TEST_CASE("places that cannot hold an index get a clear error", "[cli][faults]") {
  ct::TempDir dir;
  const std::string sample = (ct::source_dir() / "sample_docs").string();
  // Not creatable: a path inside a read-only pseudo file system.
  auto r = ct::concord({"index", "--index", "/proc/concord-index", sample});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("/proc/concord-index: cannot create index directory"));

  // A file where the directory should be.
  ct::write_file(dir / "file", "not a directory");
  r = ct::concord({"index", "--index", (dir / "file").string(), sample});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("exists and is not a directory"));

  // A directory of other things is never turned into an index, nor searched as one.
  ct::write_file(dir / "notes" / "todo.txt", "keep me");
  r = ct::concord({"index", "--index", (dir / "notes").string(), sample});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("is not empty and is not a Concord index"));
  CHECK(ct::read_file(dir / "notes" / "todo.txt") == "keep me");
  r = ct::concord({"search", "--index", (dir / "notes").string(), "peace"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("not a Concord index"));

  // Unwritable: only meaningful when not running as root (root ignores permissions).
  if (::geteuid() != 0) {
    const std::string index = (dir / "ro-index").string();
    REQUIRE(ct::concord({"index", "--index", index, sample}).exit_code == 0);
    fs::permissions(dir / "ro-index", fs::perms::owner_write, fs::perm_options::remove);
    r = ct::concord({"index", "--force", "--index", index, sample});
    fs::permissions(dir / "ro-index", fs::perms::owner_write, fs::perm_options::add);
    CHECK(r.exit_code == 1);
    CHECK(total(index, "*") == 114);
  }
}

TEST_CASE("kill -9 during indexing never loses or duplicates paragraphs", "[cli][faults][crash]") {
  // The short version of tools/crash_test.sh (which runs 50 trials on the real corpus).
  const fs::path script = ct::source_dir() / "tools" / "crash_test.sh";
  const fs::path shared = ct::source_dir() / ".." / "shared" / "corpus" / "ungdc" / "sample";
  std::vector<std::string> argv = {script.string(), "--trials", "8", "--concord",
                                   ct::concord_binary().string()};
  if (fs::exists(shared)) {
    argv.insert(argv.end(), {"--corpus", shared.string(), "--files", "80"});
  }
  const auto r = ct::run(argv);
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("kill trials: 8") && Catch::Contains(" 0 lost or corrupt"));
}
