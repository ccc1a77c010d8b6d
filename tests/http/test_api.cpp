// The HTTP API's routes, called directly (no sockets): the same answers as the CLI.
#include <catch2/catch.hpp>

#include <atomic>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "api.hpp"
#include "concord/indexer.hpp"
#include "test_support.hpp"

using namespace concord;
using nlohmann::json;

namespace {

struct Fixture {
  test::TempDir dir;
  std::unique_ptr<server::Api> api;
  Fixture() {
    IndexRunOptions options;
    options.index_dir = dir / "index";
    options.inputs = {test::source_dir() / "sample_docs"};
    run_index(options);
    server::ApiOptions api_options;
    api_options.index = IndexLocation::directory(dir / "index");
    api = std::make_unique<server::Api>(api_options);
  }
  server::Response get(const std::string& path,
                       std::vector<std::pair<std::string, std::string>> query = {},
                       const std::string& method = "GET") {
    server::Request r;
    r.method = method;
    r.path = path;
    r.query = std::move(query);
    return api->handle(r);
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

// The whole body of a response, streamed or not.
std::string drain(server::Response& r) {
  std::string body = r.body;
  if (r.stream) {
    for (std::string piece = r.stream(); !piece.empty(); piece = r.stream()) body += piece;
  }
  return body;
}

std::string header(const server::Response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return {};
}

}  // namespace

TEST_CASE("/api/search answers with the CLI's JSON schema", "[api]") {
  const auto r = fixture().get("/api/search", {{"q", "\"ASEAN way\""}});
  REQUIRE(r.status == 200);
  CHECK(r.content_type == "application/json; charset=utf-8");
  const json j = json::parse(r.body);
  CHECK(j["total"] == 1);
  CHECK(j["results"][0]["id"] == "gsi-concept-paper:65");
  CHECK(j["results"][0]["section"][0] == "3. Key cooperation directions");
  CHECK(j["facets"]["region"].is_array());
  // Filters, paging and sort as query parameters.
  const json filtered = json::parse(fixture()
                                        .get("/api/search", {{"q", "peace"},
                                                             {"filter", "region:Africa"},
                                                             {"filter", "topic:peacekeeping"},
                                                             {"limit", "2"},
                                                             {"offset", "1"},
                                                             {"sort", "document"}})
                                        .body);
  CHECK(filtered["offset"] == 1);
  CHECK(filtered["limit"] == 2);
  CHECK(filtered["filters"].size() == 2);
  CHECK(filtered["results"].size() <= 2);
}

TEST_CASE("/api/search counts the facets it is asked for, each its own way", "[api]") {
  const json j = json::parse(
      fixture().get("/api/search", {{"q", "peace"}, {"facets", "region,doc:documents"}}).body);
  CHECK(j["facets"].size() == 2);
  CHECK(j["facet_info"]["doc"]["count"] == "documents");
  CHECK(j["facet_info"]["region"]["count"] == "paragraphs");
  CHECK(j["facets"]["doc"][0]["count"] == 1);  // one paper, however many paragraphs
  const auto bad = fixture().get("/api/search", {{"q", "peace"}, {"facets", "region,colour"}});
  CHECK(bad.status == 400);
  CHECK_THAT(json::parse(bad.body)["error"]["message"].get<std::string>(),
             Catch::Contains("unknown facet 'colour'"));
}

TEST_CASE("documents, one document with its outline, a paragraph with neighbours", "[api]") {
  const json docs = json::parse(fixture().get("/api/documents").body);
  CHECK(docs["total"] == 1);
  CHECK(docs["documents"][0]["id"] == "gsi-concept-paper");
  const json doc = json::parse(fixture().get("/api/documents/gsi-concept-paper").body);
  CHECK(doc["sections"].size() == 35);
  CHECK(doc["title"] == "The Global Security Initiative Concept Paper");
  const json para =
      json::parse(fixture().get("/api/paragraphs/gsi-concept-paper:85", {{"context", "2"}}).body);
  CHECK(para["paragraph"]["text"] == "(14) Strengthen biosecurity risk management.");
  CHECK(para["paragraph"]["section"][1] == "(14) Strengthen biosecurity risk management.");
  CHECK(para["before"].size() == 2);
  CHECK(para["after"].size() == 2);
  CHECK(para["after"][1]["paragraph"] == 87);
  CHECK(para["document"]["id"] == "gsi-concept-paper");
  const json page = json::parse(
      fixture().get("/api/documents/gsi-concept-paper/paragraphs", {{"from", "110"}}).body);
  CHECK(page["total"] == 114);
  CHECK(page["paragraphs"].size() == 5);
}

TEST_CASE("export gives the whole result set as CSV or JSON", "[api]") {
  const auto csv = fixture().get("/api/export", {{"q", "nuclear"}, {"format", "csv"}});
  REQUIRE(csv.status == 200);
  CHECK(csv.content_type == "text/csv; charset=utf-8");
  CHECK_THAT(header(csv, "Content-Disposition"), Catch::Contains("attachment"));
  const std::size_t rows =
      static_cast<std::size_t>(std::count(csv.body.begin(), csv.body.end(), '\n'));
  const json all = json::parse(fixture().get("/api/search", {{"q", "nuclear"}}).body);
  CHECK(rows == all["total"].get<std::size_t>() + 1);
  CHECK(csv.body.rfind("id,doc_id,title,date,issuer,country,section_number,section,paragraph", 0) ==
        0);
  const json exported =
      json::parse(fixture().get("/api/export", {{"q", "nuclear"}, {"format", "json"}}).body);
  CHECK(exported["results"].size() == all["total"].get<std::size_t>());
}

TEST_CASE("errors are JSON with the right status", "[api][errors]") {
  struct Row {
    std::string path;
    std::vector<std::pair<std::string, std::string>> query;
    int status;
    std::string message;
  };
  const std::vector<Row> rows = {
      {"/api/search", {{"q", "peace)"}}, 400, "')' without a matching '('"},
      {"/api/search", {{"q", "peace"}, {"filter", "colour:red"}}, 400, "unknown filter field"},
      {"/api/search", {{"q", "peace"}, {"limit", "-1"}}, 400, "non-negative whole number"},
      {"/api/search",
       {{"q", "peace"}, {"offset", "9999"}, {"limit", "10"}},
       400,
       "first 10000 results"},
      {"/api/search", {{"q", "peace"}, {"sort", "random"}}, 400, "sort must be"},
      {"/api/documents/nope", {}, 404, "no document"},
      {"/api/documents/..%2F..%2Fetc%2Fpasswd", {}, 404, "no document"},
      {"/api/documents/../../etc/passwd", {}, 404, "no document"},
      {"/api/paragraphs/gsi-concept-paper:9999", {}, 404, "no paragraph"},
      {"/api/nothing", {}, 404, "no API endpoint"},
      {"/etc/passwd", {}, 404, "no page"},
  };
  for (const auto& row : rows) {
    INFO(row.path);
    const auto r = fixture().get(row.path, row.query);
    CHECK(r.status == row.status);
    const json j = json::parse(r.body);
    CHECK_THAT(j["error"]["message"].get<std::string>(), Catch::Contains(row.message));
    CHECK(r.body.find("root:") == std::string::npos);
  }
  const auto post = fixture().get("/api/search", {}, "POST");
  CHECK(post.status == 405);
  CHECK(header(post, "Allow") == "GET, HEAD");
  const auto column = json::parse(fixture().get("/api/search", {{"q", "(peace"}}).body);
  CHECK(column["error"]["column"] == 1);
}

TEST_CASE("the page and its assets come from the binary with security headers", "[api][web]") {
  const auto page = fixture().get("/");
  REQUIRE(page.status == 200);
  CHECK(page.content_type == "text/html; charset=utf-8");
  CHECK_THAT(page.body, Catch::Contains("/app.js"));
  CHECK_THAT(header(page, "Content-Security-Policy"),
             Catch::Contains("default-src 'none'") && Catch::Contains("script-src 'self'"));
  CHECK(header(page, "X-Content-Type-Options") == "nosniff");
  CHECK(fixture().get("/app.js").status == 200);
  CHECK(fixture().get("/app.css").status == 200);
  const json openapi = json::parse(fixture().get("/api/openapi.json").body);
  CHECK(openapi["openapi"] == "3.0.3");
  CHECK(openapi["paths"].contains("/api/search"));
  const json health = json::parse(fixture().get("/api/health").body);
  CHECK(health["status"] == "ok");
  CHECK(health["paragraphs"] == 114);
  const auto head = fixture().get("/api/health", {}, "HEAD");
  CHECK(head.status == 200);
  CHECK(head.body.empty());
}

TEST_CASE("concurrent requests each get a correct answer", "[api][concurrency]") {
  // Regression: name resolution once shared one ICU break iterator across threads.
  const std::string expected =
      json::parse(fixture().get("/api/search", {{"q", "peace"}, {"filter", "region:Africa"}}).body)
          .at("total")
          .dump();
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        const auto r =
            fixture().get("/api/search",
                          {{"q", "peace"}, {"filter", "region:Africa"}, {"filter", "topic:pkeep"}});
        const auto plain =
            fixture().get("/api/search", {{"q", "peace"}, {"filter", "region:Africa"}});
        if (r.status != 200 || plain.status != 200 ||
            json::parse(plain.body).at("total").dump() != expected)
          ++wrong;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(wrong == 0);
}

TEST_CASE("compare, similar and trace over the API", "[api][compare]") {
  const auto same =
      fixture().get("/api/compare", {{"a", "gsi-concept-paper"}, {"b", "gsi-concept-paper"}});
  REQUIRE(same.status == 200);
  const json c = json::parse(same.body);
  CHECK(c["identical"] == true);
  CHECK(c["summary"]["share"] == 1.0);
  CHECK(c["pairs"].size() == 114);
  CHECK(c["pairs"][0]["diff"][0]["op"] == "equal");
  CHECK(fixture().get("/api/compare", {{"a", "gsi-concept-paper"}}).status == 400);
  CHECK(fixture().get("/api/compare", {{"a", "gsi-concept-paper"}, {"b", "nope"}}).status == 404);
  // The API compares indexed papers only: a path is never read.
  const auto path = fixture().get("/api/compare",
                                  {{"a", test::seed_paper().string()}, {"b", "gsi-concept-paper"}});
  CHECK(path.status == 404);

  const json similar = json::parse(
      fixture()
          .get("/api/similar", {{"paragraph", "gsi-concept-paper:65"}, {"same_document", "true"}})
          .body);
  CHECK(similar["source"]["id"] == "gsi-concept-paper:65");
  CHECK(similar["results"].is_array());
  CHECK(fixture().get("/api/similar", {}).status == 400);
  CHECK(fixture().get("/api/similar", {{"paragraph", "gsi-concept-paper:999"}}).status == 404);

  const json trace = json::parse(fixture().get("/api/trace", {{"phrase", "outer space"}}).body);
  CHECK(trace["paragraphs"] == 4);
  CHECK(trace["documents"] == 1);
  CHECK(trace["timeline"].size() == 1);
  CHECK(trace["timeline"][0]["year"] == 2023);
  CHECK(trace["first"]["doc"]["id"] == "gsi-concept-paper");
  CHECK(fixture().get("/api/trace", {{"phrase", "outer space"}, {"variation", "99"}}).status ==
        400);
}

TEST_CASE("export pages through the whole result set and says when the cap cut it",
          "[api][export]") {
  // The cap (10,000 rows) and the page size (1,000) made small, so that the sample's 114
  // paragraphs span several pages and exceed the cap.
  CHECK(server::ApiOptions{}.max_export_rows == 10000);
  server::ApiOptions options;
  options.index = IndexLocation::directory(fixture().dir / "index");
  options.limits.max_limit = 40;
  options.max_export_rows = 100;
  server::Api small(options);
  const auto get = [&](std::vector<std::pair<std::string, std::string>> query) {
    server::Request r;
    r.method = "GET";
    r.path = "/api/export";
    r.query = std::move(query);
    return small.handle(r);
  };
  auto capped = get({{"q", "*"}, {"sort", "document"}, {"format", "json"}});
  REQUIRE(capped.status == 200);
  // Streamed a page at a time: the response holds one page of rows, the rest comes later.
  REQUIRE(capped.stream);
  CHECK(std::count(capped.body.begin(), capped.body.end(), '\n') == 0);
  CHECK(json::parse(capped.body + "]}")["results"].size() == 40);
  CHECK(capped.body.find("\"truncated\"") == std::string::npos);  // the end is still to come
  const json j = json::parse(drain(capped));
  CHECK(j["total"] == 114);
  CHECK(j["truncated"] == true);
  REQUIRE(j["results"].size() == 100);
  REQUIRE(j["warnings"].size() == 1);
  CHECK_THAT(j["warnings"][0].get<std::string>(), Catch::Contains("first 100 of 114"));
  CHECK(header(capped, "X-Total-Count") == "114");
  CHECK(header(capped, "X-Export-Truncated") == "true");
  // The pages join without a gap or a repeat: paragraphs 1..100 in document order.
  for (std::size_t i = 0; i < 100; ++i) {
    INFO(i);
    CHECK(j["results"][i]["id"] == "gsi-concept-paper:" + std::to_string(i + 1));
  }

  auto csv = get({{"q", "*"}, {"sort", "document"}, {"format", "csv"}});
  CHECK(std::count(csv.body.begin(), csv.body.end(), '\n') == 41);  // the header and a page
  const std::string csv_body = drain(csv);
  CHECK(std::count(csv_body.begin(), csv_body.end(), '\n') == 101);  // the header and 100 rows
  CHECK(csv_body.rfind("id,doc_id,", 0) == 0);
  CHECK(header(csv, "X-Export-Truncated") == "true");

  // Under the cap, or cut by the client's own limit: nothing is reported missing.
  auto nuclear = get({{"q", "nuclear"}, {"format", "json"}});
  const json whole = json::parse(drain(nuclear));
  CHECK(whole["truncated"] == false);
  CHECK(whole["warnings"].empty());
  CHECK(whole["results"].size() == whole["total"].get<std::size_t>());
  const auto limited = get({{"q", "*"}, {"limit", "5"}, {"format", "json"}});
  CHECK(json::parse(limited.body)["truncated"] == false);
  CHECK(json::parse(limited.body)["results"].size() == 5);
  CHECK(header(limited, "X-Export-Truncated") == "false");
  // per_doc and count are honoured, as in /api/search.
  CHECK(
      json::parse(get({{"q", "*"}, {"per_doc", "3"}, {"format", "json"}}).body)["results"].size() ==
      3);
  CHECK(get({{"q", "*"}, {"count", "pages"}}).status == 400);
}

TEST_CASE("the API names a paper's file, never a server path", "[api]") {
  const std::string dir = fixture().dir.path().string();
  const std::string file = "global-security-initiative-concept-paper.txt";
  const auto list = fixture().get("/api/documents");
  CHECK(json::parse(list.body)["documents"][0]["source"] == file);
  const auto doc = fixture().get("/api/documents/gsi-concept-paper");
  CHECK(json::parse(doc.body)["source"] == file);
  const auto para = fixture().get("/api/paragraphs/gsi-concept-paper:3");
  CHECK(json::parse(para.body)["document"]["source"] == file);
  for (const auto* r : {&list, &doc, &para}) {
    CHECK(r->body.find(dir) == std::string::npos);
    CHECK(r->body.find(test::source_dir().string()) == std::string::npos);
  }
}

TEST_CASE("CSV cells that a spreadsheet would run as formulas stay text", "[api][export]") {
  CHECK(server::csv_cell("=1+2") == "\"'=1+2\"");
  CHECK(server::csv_cell("+1") == "\"'+1\"");
  CHECK(server::csv_cell("-1") == "\"'-1\"");
  CHECK(server::csv_cell("@SUM(A1)") == "\"'@SUM(A1)\"");
  CHECK(server::csv_cell("\t=cmd") == "\"'\t=cmd\"");
  CHECK(server::csv_cell("\r=cmd") == "\"'\r=cmd\"");
  CHECK(server::csv_cell("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(server::csv_cell("a=b") == "\"a=b\"");
  CHECK(server::csv_cell("") == "\"\"");
}

TEST_CASE("openapi.json describes exactly the routes and the parameters they read",
          "[api][openapi]") {
  const json spec = json::parse(fixture().get("/api/openapi.json").body);
  std::set<std::string> documented;
  for (const auto& [path, item] : spec["paths"].items()) documented.insert(path);
  // Every route of Api::Impl::route is documented, and nothing else is.
  const std::set<std::string> routed = {
      "/api/search",          "/api/export",         "/api/compare",
      "/api/similar",         "/api/trace",          "/api/health",
      "/api/documents",       "/api/documents/{id}", "/api/documents/{id}/paragraphs",
      "/api/paragraphs/{id}", "/api/openapi.json"};
  CHECK(documented == routed);
  // Each documented path answers 200 with the parameters it needs.
  const std::map<std::string, std::vector<std::pair<std::string, std::string>>> needs = {
      {"/api/compare", {{"a", "gsi-concept-paper"}, {"b", "gsi-concept-paper"}}},
      {"/api/similar", {{"paragraph", "gsi-concept-paper:65"}}},
      {"/api/trace", {{"phrase", "outer space"}}},
  };
  const auto concrete = [](std::string path) {
    const auto at = path.find("{id}");
    if (at != std::string::npos)
      path.replace(
          at, 4,
          path.rfind("/api/paragraphs/", 0) == 0 ? "gsi-concept-paper:65" : "gsi-concept-paper");
    return path;
  };
  for (const auto& path : documented) {
    INFO(path);
    const auto it = needs.find(path);
    const auto base =
        it != needs.end() ? it->second : std::vector<std::pair<std::string, std::string>>{};
    CHECK(fixture().get(concrete(path), base).status == 200);
    // A documented number or choice is read by the handler: a bad value is refused by name.
    for (const auto& p : spec["paths"][path]["get"].value("parameters", json::array())) {
      if (p["in"] != "query") continue;
      const std::string name = p["name"];
      const std::string type = p["schema"].value("type", "");
      if (type != "integer" && !p["schema"].contains("enum")) continue;
      INFO(name);
      auto query = base;
      query.emplace_back(name, "zz");
      const auto r = fixture().get(concrete(path), query);
      CHECK(r.status == 400);
      CHECK_THAT(r.body, Catch::Contains(name));
    }
  }
  // The statuses each route can answer with are listed.
  CHECK(spec["paths"]["/api/search"]["get"]["responses"].contains("503"));
  CHECK(spec["paths"]["/api/export"]["get"]["responses"].contains("503"));
  std::set<std::string> search_params, export_params;
  for (const auto& p : spec["paths"]["/api/search"]["get"]["parameters"])
    search_params.insert(p["name"]);
  for (const auto& p : spec["paths"]["/api/export"]["get"]["parameters"])
    export_params.insert(p["name"]);
  // Export reads the search's parameters (the same parser) except the page and the facets.
  for (const auto& name : search_params) {
    if (name == "offset" || name == "facets") continue;
    INFO(name);
    CHECK(export_params.count(name) == 1);
  }
}

TEST_CASE("a streamed export fails rather than mix two states of the index", "[api][export]") {
  test::TempDir dir;
  test::write_file(dir / "docs" / "paper.txt", test::read_file(test::seed_paper()));
  IndexRunOptions index;
  index.index_dir = dir / "index";
  index.inputs = {dir / "docs"};
  run_index(index);
  server::ApiOptions options;
  options.index = IndexLocation::directory(dir / "index");
  options.limits.max_limit = 40;
  server::Api api(options);
  server::Request request;
  request.method = "GET";
  request.path = "/api/export";
  request.query = {{"q", "*"}, {"sort", "document"}};
  auto unchanged = api.handle(request);
  const std::string whole = drain(unchanged);
  CHECK(std::count(whole.begin(), whole.end(), '\n') == 115);  // the header and 114 rows
  auto r = api.handle(request);
  REQUIRE(r.stream);
  test::write_file(dir / "docs" / "added.txt", "Added paper\n\nOne more paragraph.\n");
  run_index(index);
  CHECK_THROWS_AS(drain(r), Error);
}
