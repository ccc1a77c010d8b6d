// The `concord` subcommands: each a thin function over the library.
#pragma once

#include <string>
#include <vector>

#include "concord/indexer.hpp"
#include "concord/search.hpp"

namespace concord::cli {

struct GlobalOptions {
  std::string index_dir = "indexes/default";
  bool json = false;
};

struct SearchOptions {
  std::vector<std::string> query_words;
  std::vector<std::string> filters;
  std::size_t limit = 10;
  std::size_t offset = 0;
  std::size_t per_doc = 0;
  std::string sort = "relevance";
  bool show_facets = false;
  bool count_documents = false;
  std::vector<std::string> facets;  // --facet NAME[:documents|paragraphs]
  bool complete = false;
};

struct IndexOptions {
  std::vector<std::string> paths;
  std::vector<std::string> include;
  std::vector<std::string> exclude;
  bool prune = false;
  bool force = false;
  bool rebuild = false;
  unsigned shards = 0;
  bool quiet = false;
  std::string taxonomy;
  std::string gazetteer;
  std::string metadata;
};

struct ServeCommandOptions {
  std::string host = "127.0.0.1";
  unsigned port = 8080;
  unsigned threads = 4;
  double header_timeout = 10;
};

struct CompareCommandOptions {
  std::string a, b;
  std::size_t min_words = 5;
  bool all = false;  // also print unchanged pairs
};

struct SimilarCommandOptions {
  std::string paragraph;
  std::string text;
  std::size_t limit = 10;
  std::size_t min_words = 5;
  bool same_document = false;
  std::vector<std::string> filters;
};

struct TraceCommandOptions {
  std::vector<std::string> words;
  std::size_t variation = 0;
  std::vector<std::string> filters;
  std::size_t examples = 5;
};

// Each returns the process exit code.
int run_index_command(const GlobalOptions& global, const IndexOptions& options);
int run_search_command(const GlobalOptions& global, const SearchOptions& options);
int run_documents_command(const GlobalOptions& global);
int run_show_command(const GlobalOptions& global, const std::string& doc_id);
int run_remove_command(const GlobalOptions& global, const std::vector<std::string>& ids);
int run_inspect_command(const GlobalOptions& global, const std::string& file);
int run_explain_command(const GlobalOptions& global, const std::string& paragraph_id);
int run_taxonomy_command(const GlobalOptions& global, bool regions);
int run_compare_command(const GlobalOptions& global, const CompareCommandOptions& options);
int run_similar_command(const GlobalOptions& global, const SimilarCommandOptions& options);
int run_trace_command(const GlobalOptions& global, const TraceCommandOptions& options);
int run_serve_command(const GlobalOptions& global, const ServeCommandOptions& options);

// Exit codes, one table for the whole command line.
enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,   // I/O, corrupt index, internal error
  kExitUsage = 2,     // bad option, query syntax, limits, unknown field
  kExitPartial = 3,   // the run finished but some input files failed
  kExitNotFound = 4,  // no such index, document or paragraph
  kExitBusy = 5,      // another process is writing the index
};
int exit_code_for(ErrorCode code);

}  // namespace concord::cli
