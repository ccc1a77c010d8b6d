// Sharded indexes: `concord index --shards N`, shards read locally and through xapian-tcpsrv,
// a replica made with xapian-replicate, and a shard going down. Every answer of a fixed
// query set must be exactly the single index's answer (minus timing).
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <thread>

#include "concord/compare.hpp"
#include "concord/error.hpp"
#include "concord/index.hpp"
#include "concord/indexer.hpp"
#include "concord/json.hpp"
#include "concord/search.hpp"
#include "http_client.hpp"
#include "test_support.hpp"

extern char** environ;

using namespace concord;
namespace fs = std::filesystem;

namespace {

// A Xapian server process (xapian-tcpsrv, xapian-replicate-server) on a free loopback port,
// stopped when it goes out of scope.
class XapianServer {
 public:
  XapianServer(const std::string& program, std::vector<std::string> args) {
    for (int attempt = 0; attempt < 20 && pid_ <= 0; ++attempt) {
      port_ = free_port();
      std::vector<std::string> argv = {program, "--port", std::to_string(port_)};
      argv.insert(argv.end(), args.begin(), args.end());
      std::vector<char*> raw;
      for (auto& a : argv) raw.push_back(a.data());
      raw.push_back(nullptr);
      posix_spawn_file_actions_t actions;
      posix_spawn_file_actions_init(&actions);
      posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
      posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
      // A process group of its own: xapian-tcpsrv forks a child per connection, and a shard
      // "going down" must take those with it.
      posix_spawnattr_t attr;
      posix_spawnattr_init(&attr);
      posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
      posix_spawnattr_setpgroup(&attr, 0);
      pid_t pid = 0;
      if (posix_spawn(&pid, raw[0], &actions, &attr, raw.data(), environ) != 0) pid = 0;
      posix_spawnattr_destroy(&attr);
      posix_spawn_file_actions_destroy(&actions);
      if (pid <= 0) throw std::runtime_error("cannot start " + program);
      if (wait_listening(pid)) {
        pid_ = pid;
      } else {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, nullptr, 0);
      }
    }
    if (pid_ <= 0) throw std::runtime_error(program + " did not start");
  }
  ~XapianServer() { stop(); }
  XapianServer(const XapianServer&) = delete;
  XapianServer& operator=(const XapianServer&) = delete;

  void stop() {
    if (pid_ <= 0) return;
    ::kill(-pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = 0;
  }
  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] std::string url() const { return "tcp://127.0.0.1:" + std::to_string(port_); }

 private:
  static int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
  }
  bool wait_listening(pid_t pid) const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      if (::waitpid(pid, nullptr, WNOHANG) == pid) return false;  // exited: port taken
      const int fd = test::connect_local(port_);
      if (fd >= 0) {
        ::close(fd);
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  pid_t pid_ = 0;
  int port_ = 0;
};

// The corpus: the first 150 UNGDC sample statements with their metadata, or, without
// ../shared, the sample paper plus generated papers.
struct Corpus {
  test::TempDir dir;
  fs::path single = dir / "single";
  fs::path sharded = dir / "sharded";
  Corpus() {
    IndexRunOptions options;
    const fs::path ungdc = test::shared_corpus() / "ungdc";
    if (fs::exists(ungdc / "sample")) {
      std::vector<fs::path> files;
      for (const auto& e : fs::recursive_directory_iterator(ungdc / "sample")) {
        if (e.is_regular_file() && e.path().extension() == ".txt") files.push_back(e.path());
      }
      std::sort(files.begin(), files.end());
      files.resize(std::min<std::size_t>(files.size(), 150));
      options.inputs = files;
      options.metadata_table = (ungdc / "metadata.csv").string();
    } else {
      for (int p = 0; p < 60; ++p) {
        std::string text = "Statement " + std::to_string(p) + "\n\n";
        for (int i = 0; i < 12; ++i) {
          text += "Peace and security in " +
                  std::string(p % 3 == 0   ? "Africa"
                              : p % 3 == 1 ? "Asia"
                                           : "Europe") +
                  " need international cooperation on nuclear disarmament, climate change and "
                  "development, paragraph " +
                  std::to_string(i) + " of statement " + std::to_string(p) + ".\n\n";
        }
        test::write_file(dir / "docs" / ("s" + std::to_string(p) + ".txt"), text);
      }
      options.inputs = {dir / "docs", test::source_dir() / "sample_docs"};
    }
    options.index_dir = single;
    REQUIRE(run_index(options).failed == 0);
    options.index_dir = sharded;
    options.shards = 3;
    REQUIRE(run_index(options).failed == 0);
  }
};

Corpus& corpus() {
  static Corpus c;
  return c;
}

std::vector<SearchRequest> query_set() {
  std::vector<SearchRequest> out;
  const auto add = [&](std::string q, std::vector<std::string> filters = {},
                       const std::function<void(SearchRequest&)>& tweak = {}) {
    SearchRequest r;
    r.query = std::move(q);
    for (const auto& f : filters) r.filters.push_back(parse_filter(f));
    r.limit = 20;
    if (tweak) tweak(r);
    out.push_back(std::move(r));
  };
  add("peace");
  add("security council");
  add("\"international community\"");
  add("nuclear AND disarmament");
  add("refugees OR migrants OR displaced");
  add("secur*");
  add("development NOT aid");
  add("*", {"region:africa"});
  add("cooperation", {"region:asia", "topic:maritime"});
  add("peace", {"region:europe", "region:africa"});
  add("climate", {}, [](SearchRequest& r) { r.facets.count_documents = true; });
  add("independence", {}, [](SearchRequest& r) { r.per_doc = 1; });
  add("human rights", {}, [](SearchRequest& r) { r.sort = SortOrder::kDateNewest; });
  add("peace", {}, [](SearchRequest& r) {
    r.offset = 40;
    r.limit = 15;
  });
  add("*", {}, [](SearchRequest& r) { r.sort = SortOrder::kDocumentOrder; });
  return out;
}

nlohmann::ordered_json answer(IndexReader& reader, const SearchRequest& request) {
  Searcher searcher(reader);
  auto j = json::search(searcher.search(request));
  j.erase("took_ms");
  return j;
}

}  // namespace

TEST_CASE("a sharded index answers exactly like the single index, locally and remotely",
          "[shards]") {
  Corpus& c = corpus();
  const auto shard_dirs =
      std::vector<fs::path>{c.sharded / "shard-0", c.sharded / "shard-1", c.sharded / "shard-2"};
  for (const auto& d : shard_dirs) REQUIRE(fs::exists(d / "iamglass"));
  XapianServer s0("/usr/bin/xapian-tcpsrv", {shard_dirs[0].string()});
  XapianServer s1("/usr/bin/xapian-tcpsrv", {shard_dirs[1].string()});
  XapianServer s2("/usr/bin/xapian-tcpsrv", {shard_dirs[2].string()});

  IndexReader single = IndexReader::open(IndexLocation::directory(c.single));
  IndexReader local = IndexReader::open(IndexLocation::directory(c.sharded));
  IndexReader remote =
      IndexReader::open(IndexLocation::parse(s0.url() + "," + s1.url() + "," + s2.url()));
  // Papers are spread over every shard, each paper whole in one.
  for (const auto& d : shard_dirs) {
    IndexReader shard = IndexReader::open(IndexLocation::directory(d));
    CHECK(shard.document_count() > 0);
  }
  CHECK(local.paragraph_count() == single.paragraph_count());
  CHECK(remote.document_count() == single.document_count());

  for (const auto& request : query_set()) {
    INFO("query: " << request.query << " filters: " << request.filters.size());
    const auto expected = answer(single, request);
    CHECK(expected["total"].get<std::uint64_t>() > 0);
    CHECK(answer(local, request).dump() == expected.dump());
    CHECK(answer(remote, request).dump() == expected.dump());
  }

  // Compare, similar and trace see the same papers and paragraphs.
  const auto docs = single.documents();
  REQUIRE(docs.size() >= 2);
  const auto compare = [&](IndexReader& reader) {
    auto j = json::comparison(compare_papers(load_comparable(docs[0].meta.id, &reader, false),
                                             load_comparable(docs[1].meta.id, &reader, false)));
    j.erase("took_ms");
    return j.dump();
  };
  CHECK(compare(local) == compare(single));
  CHECK(compare(remote) == compare(single));
  const auto similar = [&](IndexReader& reader) {
    SimilarRequest request;
    request.paragraph_id = docs[0].meta.id + ":3";
    auto j = json::similar(ReuseFinder(reader).find(request));
    j.erase("took_ms");
    return j.dump();
  };
  CHECK(similar(local) == similar(single));
  CHECK(similar(remote) == similar(single));
  const auto trace = [&](IndexReader& reader) {
    TraceRequest request;
    request.phrase = "international community";
    auto j = json::trace(trace_phrase(reader, request));
    j.erase("took_ms");
    return j.dump();
  };
  CHECK(trace(local) == trace(single));
  CHECK(trace(remote) == trace(single));
}

TEST_CASE("re-indexing a sharded index puts each paper back in its shard", "[shards]") {
  test::TempDir dir;
  for (int p = 0; p < 12; ++p) {
    test::write_file(dir / "docs" / ("p" + std::to_string(p) + ".txt"),
                     "Paper " + std::to_string(p) + "\n\nFirst version about peace.\n");
  }
  IndexRunOptions options;
  options.index_dir = dir / "index";
  options.inputs = {dir / "docs"};
  options.shards = 2;
  REQUIRE(run_index(options).added == 12);
  for (int p = 0; p < 12; ++p) {
    test::write_file(dir / "docs" / ("p" + std::to_string(p) + ".txt"),
                     "Paper " + std::to_string(p) + "\n\nSecond version about peace.\n");
  }
  options.shards = 0;  // the index keeps its layout
  const IndexReport r = run_index(options);
  CHECK(r.updated == 12);
  CHECK(r.index_paragraphs == 12);
  IndexReader reader = IndexReader::open(IndexLocation::directory(dir / "index"));
  CHECK(reader.paragraph_count() == 12);
  Searcher searcher(reader);
  SearchRequest request;
  request.query = "first";
  CHECK(searcher.search(request).total == 0);
  // Each paper is in the shard its id hashes to, and only there.
  for (int shard = 0; shard < 2; ++shard) {
    IndexReader one = IndexReader::open(
        IndexLocation::directory(dir / "index" / ("shard-" + std::to_string(shard))));
    for (const auto& doc : one.documents()) CHECK(shard_of(doc.meta.id, 2) == std::size_t(shard));
  }
  // Another shard count is refused rather than silently re-laid out.
  options.shards = 3;
  CHECK_THROWS_WITH(run_index(options), Catch::Contains("has 2 shards"));
}

TEST_CASE("a shard going down gives flagged partial results, or an error when asked", "[shards]") {
  Corpus& c = corpus();
  XapianServer s0("/usr/bin/xapian-tcpsrv", {(c.sharded / "shard-0").string()});
  XapianServer s1("/usr/bin/xapian-tcpsrv", {(c.sharded / "shard-1").string()});
  XapianServer s2("/usr/bin/xapian-tcpsrv", {(c.sharded / "shard-2").string()});
  IndexReader remote =
      IndexReader::open(IndexLocation::parse(s0.url() + "," + s1.url() + "," + s2.url()));
  Searcher searcher(remote);
  SearchRequest request;
  request.query = "peace";
  const auto before = searcher.search(request);
  CHECK(before.unavailable_shards.empty());
  TraceRequest trace;
  trace.phrase = "peace";
  CHECK(json::trace(trace_phrase(remote, trace))["partial"] == false);

  // Killed between two queries of an open reader: the next query notices mid-match.
  s1.stop();
  const auto started = std::chrono::steady_clock::now();
  const auto after = searcher.search(request);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
  REQUIRE(after.unavailable_shards == std::vector<std::string>{s1.url()});
  IndexReader shard1 = IndexReader::open(IndexLocation::directory(c.sharded / "shard-1"));
  Searcher shard1_searcher(shard1);
  CHECK(after.total == before.total - shard1_searcher.search(request).total);
  CHECK(json::search(after)["partial"] == true);

  // The phrase trace and the similar-wording search say so too.
  const TraceResponse traced = trace_phrase(remote, trace);
  CHECK(traced.unavailable_shards == std::vector<std::string>{s1.url()});
  CHECK(traced.paragraphs == after.total);
  CHECK(json::trace(traced)["partial"] == true);
  SimilarRequest similar;
  similar.text = "the maintenance of international peace and security in the world";
  const SimilarResponse alike = ReuseFinder(remote).find(similar);
  CHECK(alike.unavailable_shards == std::vector<std::string>{s1.url()});
  CHECK(json::similar(alike)["partial"] == true);

  request.require_complete = true;
  try {
    searcher.search(request);
    FAIL("complete results were not refused");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::kUnavailable);
    CHECK_THAT(e.what(), Catch::Contains("shard " + s1.url() + " is unavailable"));
  }

  // Over HTTP: the flag in the JSON, and 503 for complete=true.
  test::ServerProcess server(s0.url() + "," + s1.url() + "," + s2.url());
  const auto r = test::http_get(server.port(), "/api/search?q=peace");
  REQUIRE(r.status == 200);
  const auto j = nlohmann::json::parse(r.body);
  CHECK(j["partial"] == true);
  CHECK(j["unavailable_shards"][0] == s1.url());
  CHECK(test::http_get(server.port(), "/api/search?q=peace&complete=true").status == 503);
  const auto t = test::http_get(server.port(), "/api/trace?phrase=peace");
  REQUIRE(t.status == 200);
  CHECK(nlohmann::json::parse(t.body)["unavailable_shards"][0] == s1.url());
}

TEST_CASE("a replica made by xapian-replicate serves reads like its master", "[shards]") {
  Corpus& c = corpus();
  test::TempDir replicas;
  XapianServer master("/usr/bin/xapian-replicate-server", {c.sharded.string()});
  const auto r = test::run({"/usr/bin/xapian-replicate", "-h", "127.0.0.1", "-p",
                            std::to_string(master.port()), "-m", "shard-0", "-o",
                            (replicas / "shard-0").string()});
  REQUIRE(r.exit_code == 0);
  // The replica of shard 0 with the masters of shards 1 and 2 is the whole index again.
  const std::string mixed = (replicas / "shard-0").string() + "," +
                            (c.sharded / "shard-1").string() + "," +
                            (c.sharded / "shard-2").string();
  IndexReader single = IndexReader::open(IndexLocation::directory(c.single));
  IndexReader replica = IndexReader::open(IndexLocation::parse(mixed));
  CHECK(replica.unavailable_shards().empty());
  for (const auto& request : query_set()) {
    INFO("query: " << request.query);
    CHECK(answer(replica, request).dump() == answer(single, request).dump());
  }
}
