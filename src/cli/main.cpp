// `concord`: command-line front end. Parses arguments, runs one subcommand, maps errors to
// exit codes. No search logic lives here.
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>

#include "commands.hpp"
#include "concord/error.hpp"
#include "concord/log.hpp"
#include "concord/search.hpp"
#include "terminal.hpp"

namespace {

void add_common(CLI::App& cmd, concord::cli::GlobalOptions& global) {
  cmd.add_option("--index", global.index_dir,
                 "Index directory (default indexes/default); to read several shards as one, "
                 "a comma-separated list of directories and tcp://HOST:PORT (xapian-tcpsrv)")
      ->envname("CONCORD_INDEX");
  cmd.add_flag("--json", global.json, "Machine-readable JSON on stdout");
}

}  // namespace

int main(int argc, char** argv) {
  using namespace concord::cli;
  CLI::App app{"Concord: full-text search for policy papers, down to the paragraph."};
  app.require_subcommand(1);
  std::string log_level = concord::default_log_level();
  app.add_option("--log-level", log_level,
                 "trace, debug, info, warn, error, critical, off (env CONCORD_LOG)");

  GlobalOptions global;
  IndexOptions index_opts;
  SearchOptions search_opts;
  std::string doc_id, file;
  std::vector<std::string> ids;

  auto* index =
      app.add_subcommand("index", "Index files and directories (incremental, one atomic commit)");
  add_common(*index, global);
  index->add_option("paths", index_opts.paths, "Files or directories to index")->required();
  index->add_option("--include", index_opts.include, "Only files matching this glob (repeatable)")
      ->allow_extra_args(false);
  index->add_option("--exclude", index_opts.exclude, "Skip files matching this glob (repeatable)")
      ->allow_extra_args(false);
  index->add_flag("--prune", index_opts.prune, "Remove papers whose files under PATHS are gone");
  index->add_flag("--force", index_opts.force, "Re-index files even when unchanged");
  index->add_flag("--rebuild", index_opts.rebuild,
                  "Build a new index from PATHs only and replace the existing one at the commit");
  index->add_flag("--quiet", index_opts.quiet, "Only print failures");
  index
      ->add_option("--shards", index_opts.shards,
                   "Write N shard databases under --index (papers placed by a hash of their "
                   "id); an existing sharded index keeps its count")
      ->check(CLI::Range(1, 256));
  index->add_option("--taxonomy", index_opts.taxonomy,
                    "Topic taxonomy file (default: the one the index was tagged with, else "
                    "the built-in one; 'builtin' for the built-in one)");
  index->add_option(
      "--metadata", index_opts.metadata,
      "CSV of metadata per file: a 'path' column and title/issuer/date/country/... columns");
  index->add_option("--gazetteer", index_opts.gazetteer,
                    "Region gazetteer file (default: the one the index was tagged with, else "
                    "the built-in one; 'builtin' for the built-in one)");

  auto* search = app.add_subcommand("search", "Search paragraphs");
  add_common(*search, global);
  search->add_option("query", search_opts.query_words,
                     "Query (words, \"phrases\", AND/OR/NOT, NEAR, prefix*, field:value)");
  search
      ->add_option("--filter,-f", search_opts.filters,
                   "FIELD:VALUE filter, repeatable; -FIELD:VALUE excludes")
      ->allow_extra_args(false);
  search->add_option("--limit,-n", search_opts.limit, "Results per page (default 10)");
  search->add_option("--offset", search_opts.offset, "Results to skip (default 0)");
  search->add_option("--per-doc", search_opts.per_doc, "At most N results per paper");
  search->add_option("--sort", search_opts.sort, "relevance (default), newest, oldest or document")
      ->check(CLI::IsMember({"relevance", "newest", "oldest", "document"}));
  search->add_flag("--facets", search_opts.show_facets, "Also print facet counts");
  search
      ->add_option("--facet", search_opts.facets,
                   "Count only this facet (repeatable; implies --facets): doc, year, lang, "
                   "issuer, country, type, topic, region; NAME:documents counts papers")
      ->allow_extra_args(false);
  search->add_flag("--complete", search_opts.complete,
                   "Fail instead of answering from the reachable shards when one is down");
  search->add_flag("--count-documents", search_opts.count_documents,
                   "Facets count papers, not paragraphs");

  auto* documents = app.add_subcommand("documents", "List indexed papers");
  add_common(*documents, global);

  auto* show = app.add_subcommand("show", "Show a paper's metadata and outline");
  add_common(*show, global);
  show->add_option("doc", doc_id, "Document id")->required();

  auto* remove = app.add_subcommand("remove", "Remove papers from the index");
  add_common(*remove, global);
  remove->add_option("docs", ids, "Document ids")->required();

  auto* inspect =
      app.add_subcommand("inspect", "Parse a file and show its structure, without indexing");
  add_common(*inspect, global);
  inspect->add_option("file", file, "File to parse")->required();

  std::string paragraph_id;
  auto* explain = app.add_subcommand(
      "explain", "Show a paragraph with its topics and regions and why it got them");
  add_common(*explain, global);
  explain->add_option("paragraph", paragraph_id, "Paragraph id, e.g. gsi-concept-paper:85")
      ->required();

  bool list_regions = false;
  auto* taxonomy =
      app.add_subcommand("taxonomy", "List the topics (or --regions) an index is tagged with");
  add_common(*taxonomy, global);
  taxonomy->add_flag("--regions", list_regions, "List the region hierarchy instead of topics");

  CompareCommandOptions compare_opts;
  auto* compare =
      app.add_subcommand("compare", "Align two papers' paragraphs and diff their wording");
  add_common(*compare, global);
  compare->add_option("a", compare_opts.a, "Document id or file")->required();
  compare->add_option("b", compare_opts.b, "Document id or file")->required();
  compare
      ->add_option("--min-words", compare_opts.min_words,
                   "Shortest shared phrase to report (default 5)")
      ->check(CLI::Range(2, 100));
  compare->add_flag("--all", compare_opts.all, "Also print pairs whose wording did not change");

  SimilarCommandOptions similar_opts;
  auto* similar =
      app.add_subcommand("similar", "Paragraphs anywhere that reuse a passage's wording");
  add_common(*similar, global);
  auto* source = similar->add_option_group("source", "What to look for");
  source->add_option("--paragraph", similar_opts.paragraph,
                     "A paragraph id, e.g. gsi-concept-paper:65");
  source->add_option("--text", similar_opts.text, "Any text");
  source->require_option(1);
  similar->add_option("--limit,-n", similar_opts.limit, "Results (default 10)");
  similar
      ->add_option("--min-words", similar_opts.min_words,
                   "Shortest shared phrase that counts (default 5)")
      ->check(CLI::Range(2, 100));
  similar->add_flag("--same-document", similar_opts.same_document,
                    "Include the source's own paper");
  similar->add_option("--filter,-f", similar_opts.filters, "FIELD:VALUE filter, repeatable")
      ->allow_extra_args(false);

  TraceCommandOptions trace_opts;
  auto* trace = app.add_subcommand(
      "trace", "Where and when a phrase occurs: per paper, per year, first and latest");
  add_common(*trace, global);
  trace->add_option("phrase", trace_opts.words, "The phrase")->required();
  trace
      ->add_option("--variation", trace_opts.variation,
                   "Allow up to N other words between the phrase's words")
      ->check(CLI::Range(0, 10));
  trace->add_option("--filter,-f", trace_opts.filters, "FIELD:VALUE filter, repeatable")
      ->allow_extra_args(false);
  trace->add_option("--examples", trace_opts.examples,
                    "Occurrences to show, oldest first (default 5)");

  ServeCommandOptions serve_opts;
  auto* serve = app.add_subcommand("serve", "Serve the HTTP API and the web page");
  serve->add_option("--index", global.index_dir, "Index directory (default indexes/default)")
      ->envname("CONCORD_INDEX");
  serve->add_option("--host", serve_opts.host,
                    "Address to listen on (default 127.0.0.1, loopback only)");
  serve->add_option("--port", serve_opts.port, "Port (default 8080; 0 picks a free one)")
      ->check(CLI::Range(0, 65535));
  serve->add_option("--threads", serve_opts.threads, "Worker threads (default 4)")
      ->check(CLI::Range(1, 64));
  serve
      ->add_option("--header-timeout", serve_opts.header_timeout,
                   "Seconds a client has to send a request's headers (default 10)")
      ->check(CLI::Range(0.1, 3600.0));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ExtrasError& e) {
    app.exit(e);
    // `concord search nuclear -war`: the shell hands "-war" over as an option.
    if (search->parsed()) {
      std::cerr << "A word starting with '-' excludes it only inside the query: quote the "
                   "whole query (concord search 'nuclear -war') or put -- before it.\n";
    }
    return kExitUsage;
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : kExitUsage;
  }

  try {
    concord::setup_logging(log_level);
    if (index->parsed()) return run_index_command(global, index_opts);
    if (search->parsed()) return run_search_command(global, search_opts);
    if (documents->parsed()) return run_documents_command(global);
    if (show->parsed()) return run_show_command(global, doc_id);
    if (remove->parsed()) return run_remove_command(global, ids);
    if (inspect->parsed()) return run_inspect_command(global, file);
    if (explain->parsed()) return run_explain_command(global, paragraph_id);
    if (taxonomy->parsed()) return run_taxonomy_command(global, list_regions);
    if (serve->parsed()) return run_serve_command(global, serve_opts);
    if (compare->parsed()) return run_compare_command(global, compare_opts);
    if (similar->parsed()) return run_similar_command(global, similar_opts);
    if (trace->parsed()) return run_trace_command(global, trace_opts);
  } catch (const concord::QuerySyntaxError& e) {
    std::cerr << "concord: invalid query: " << e.what() << "\n";
    return kExitUsage;
  } catch (const concord::Error& e) {
    std::cerr << "concord: " << e.what() << "\n";
    return exit_code_for(e.code());
  } catch (const std::exception& e) {
    // Never a stack trace: a short message and a failure code.
    std::cerr << "concord: unexpected error: " << e.what() << "\n";
    return kExitFailure;
  }
  return kExitUsage;
}
