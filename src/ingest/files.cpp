// Reading files from disk and walking directories.
#include <fnmatch.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "concord/error.hpp"
#include "concord/ingest.hpp"
#include "concord/text.hpp"
#include "decode.hpp"
#include "formats.hpp"
#include "metadata.hpp"

namespace concord {
namespace {

namespace fs = std::filesystem;

// Bump when parsing changes what a file turns into, so re-indexing refreshes every paper.
constexpr std::string_view kIngestVersion = "concord-ingest-3";

std::string lower_extension(const fs::path& file) {
  std::string ext = file.extension().string();
  for (char& c : ext) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return ext;
}

std::string read_file(const fs::path& file, std::uint64_t max_bytes) {
  std::error_code ec;
  const auto status = fs::status(file, ec);
  if (ec || !fs::exists(status)) {
    throw Error(ErrorCode::kIo, file.string() + ": no such file");
  }
  if (fs::is_directory(status))
    throw Error(ErrorCode::kInvalidInput, file.string() + ": is a directory");
  if (!fs::is_regular_file(status)) {
    throw Error(ErrorCode::kInvalidInput, file.string() + ": not a regular file");
  }
  const std::uint64_t size = fs::file_size(file, ec);
  if (!ec && size > max_bytes) {
    throw Error(ErrorCode::kInvalidInput, file.string() + ": file too large (" +
                                              std::to_string(size >> 20) + " MiB; the limit is " +
                                              std::to_string(max_bytes >> 20) + " MiB)");
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw Error(ErrorCode::kIo, file.string() + ": cannot open (" + std::strerror(errno) + ")");
  }
  std::string bytes;
  bytes.resize(static_cast<std::size_t>(ec ? 0 : size));
  if (!bytes.empty()) in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (in.bad()) {
    throw Error(ErrorCode::kIo, file.string() + ": read failed (" + std::strerror(errno) + ")");
  }
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  // The file may have grown since we asked for its size; read the rest up to the limit.
  char chunk[65536];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    bytes.append(chunk, static_cast<std::size_t>(in.gcount()));
    if (bytes.size() > max_bytes) {
      throw Error(ErrorCode::kInvalidInput, file.string() + ": file too large");
    }
  }
  return bytes;
}

// 64-bit FNV-1a, enough to notice that a file changed between two runs.
std::uint64_t fnv1a(std::string_view data, std::uint64_t hash = 0xcbf29ce484222325ull) {
  for (const char c : data) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ull;
  }
  return hash;
}

bool glob_match(const std::string& pattern, const fs::path& relative) {
  const std::string rel = relative.generic_string();
  const std::string name = relative.filename().string();
  return fnmatch(pattern.c_str(), rel.c_str(), FNM_PATHNAME) == 0 ||
         fnmatch(pattern.c_str(), name.c_str(), 0) == 0 ||
         fnmatch(pattern.c_str(), rel.c_str(), 0) == 0;
}

bool selected(const FileSelection& selection, const fs::path& relative) {
  for (const auto& pattern : selection.exclude) {
    if (glob_match(pattern, relative)) return false;
  }
  if (selection.include.empty()) return true;
  return std::any_of(selection.include.begin(), selection.include.end(),
                     [&](const std::string& p) { return glob_match(p, relative); });
}

bool is_hidden(const fs::path& p) {
  const std::string name = p.filename().string();
  return !name.empty() && name[0] == '.';
}

bool is_sidecar(const fs::path& p) {
  const std::string name = p.filename().string();
  return name.size() > 10 && name.substr(name.size() - 10) == ".meta.json";
}

}  // namespace

namespace ingest {

std::string_view sniff_content(std::string_view bytes) {
  if (bytes.substr(0, 5) == "%PDF-") return "pdf";
  if (bytes.substr(0, 4) == std::string_view("PK\x03\x04", 4)) return "zip";
  std::string head;
  for (const char c : bytes.substr(0, 512))
    head.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  const std::size_t start = head.find_first_not_of(" \t\r\n\xef\xbb\xbf");
  if (start != std::string::npos &&
      (head.compare(start, 9, "<!doctype") == 0 || head.compare(start, 5, "<html") == 0)) {
    return "html";
  }
  return looks_binary(bytes) ? "binary" : "text";
}

}  // namespace ingest

bool is_supported_file(const fs::path& file) {
  static const std::array<std::string_view, 9> kExtensions{
      ".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".pdf", ".docx"};
  const std::string ext = lower_extension(file);
  return std::find(kExtensions.begin(), kExtensions.end(), ext) != kExtensions.end();
}

SourceFile load_source(const fs::path& file, const IngestOptions& options) {
  SourceFile source;
  std::error_code ec;
  source.path = fs::absolute(file, ec).lexically_normal();
  if (ec) source.path = file;
  if (!is_supported_file(file)) {
    throw Error(ErrorCode::kInvalidInput,
                file.string() + ": unsupported file type '" + lower_extension(file) + "'");
  }
  source.bytes = read_file(source.path, options.max_file_bytes);
  if (source.bytes.empty()) throw Error(ErrorCode::kInvalidInput, file.string() + ": empty file");
  source.sidecar = find_sidecar(source.path);
  if (source.sidecar) source.sidecar_bytes = read_file(*source.sidecar, 1u << 20);
  std::uint64_t hash = fnv1a(kIngestVersion);
  hash = fnv1a(source.bytes, hash);
  hash = fnv1a(std::string_view("\0", 1), hash);
  hash = fnv1a(source.sidecar_bytes, hash);
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  source.fingerprint = hex;
  return source;
}

Paper parse_source(const SourceFile& source, const IngestOptions& options,
                   const DocumentMeta* table) {
  const std::string ext = lower_extension(source.path);
  const std::string_view content = ingest::sniff_content(source.bytes);
  // A file whose content contradicts its extension gets a clear error, not a wrong parse.
  const auto mismatch = [&](std::string_view expected) {
    throw Error(ErrorCode::kInvalidInput,
                source.path.string() + ": named " + ext + " but its content is " +
                    std::string(content == "zip" ? "a zip archive" : content) + ", not " +
                    std::string(expected));
  };
  const bool is_pdf = ext == ".pdf", is_docx = ext == ".docx";
  const bool is_html = ext == ".html" || ext == ".htm" || ext == ".xhtml";
  if (is_pdf && content != "pdf") mismatch("PDF");
  if (is_docx && content != "zip") mismatch("a Word document");
  if (!is_pdf && !is_docx && (content == "pdf" || content == "zip")) mismatch("text");
  if (!is_pdf && !is_docx && ingest::looks_binary(source.bytes)) {
    throw Error(ErrorCode::kInvalidInput, source.path.string() + ": binary file, not text");
  }
  DocumentMeta sidecar;
  if (table != nullptr) sidecar = *table;
  if (source.sidecar)
    ingest::merge_meta(sidecar, parse_sidecar(source.sidecar_bytes, source.sidecar->string()));
  const TextFormat format =
      (ext == ".md" || ext == ".markdown") ? TextFormat::kMarkdown : TextFormat::kPlain;
  Paper paper;
  try {
    if (is_pdf) {
      paper = ingest::parse_pdf(source.bytes, sidecar, options);
    } else if (is_docx) {
      paper = ingest::parse_docx(source.bytes, sidecar, options);
    } else if (is_html) {
      paper = ingest::parse_html(source.bytes, sidecar, options);
    } else if (content == "html") {
      // A page saved as .txt would otherwise be indexed as markup, scripts included. The
      // content is unambiguous (it starts with <!DOCTYPE html> or <html>), so read it as HTML.
      paper = ingest::parse_html(source.bytes, sidecar, options);
      paper.warnings.push_back("named " + ext + " but its content is HTML; read as HTML");
    } else {
      paper = parse_text(source.bytes, format, sidecar, options);
    }
  } catch (const Error& e) {
    throw Error(e.code(), source.path.string() + ": " + e.what());
  }
  paper.source_path = source.path.string();
  if (paper.meta.id.empty()) paper.meta.id = slugify(source.path.stem().string());
  if (paper.meta.id.empty()) paper.meta.id = "doc-" + source.fingerprint.substr(0, 8);
  if (paper.meta.title.empty()) paper.meta.title = source.path.stem().string();
  // The weakest source of a date, below the text, front matter, sidecar and metadata table,
  // and the only one many collections have ("2017.txt", "CHN_77_2022.txt"). A dateline's
  // month and day ("--02-21") take its year.
  if (paper.meta.year() == 0) {
    DocumentMeta named;
    named.date = ingest::date_from_file_name(source.path.stem().string());
    ingest::merge_meta(paper.meta, named);
  }
  return paper;
}

Paper read_paper(const fs::path& file, const IngestOptions& options) {
  return parse_source(load_source(file, options), options);
}

std::vector<CollectedFile> collect_files(const std::vector<fs::path>& roots,
                                         const FileSelection& selection,
                                         std::vector<std::string>& missing) {
  std::vector<CollectedFile> files;
  for (const auto& root_arg : roots) {
    std::error_code ec;
    const fs::path root = fs::absolute(root_arg, ec).lexically_normal();
    const auto status = fs::status(root, ec);
    if (ec || !fs::exists(status)) {
      missing.push_back(root_arg.string() + ": no such file or directory");
      continue;
    }
    if (!fs::is_directory(status)) {
      // A file named explicitly is taken even if its type is unknown: the reader will say why
      // it cannot read it.
      files.push_back(CollectedFile{root, root.parent_path()});
      continue;
    }
    std::vector<CollectedFile> found;
    fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
    if (ec) {
      missing.push_back(root_arg.string() + ": cannot list directory (" + ec.message() + ")");
      continue;
    }
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) {
        missing.push_back(it->path().string() + ": " + ec.message());
        ec.clear();
        continue;
      }
      const fs::path& p = it->path();
      if (is_hidden(p)) {
        if (it->is_directory(ec)) it.disable_recursion_pending();
        continue;
      }
      if (it->is_directory(ec)) {
        // The iterator skips what it may not list; the user must hear about it, or a later
        // --prune would take those papers for deleted.
        if (::access(p.c_str(), R_OK | X_OK) != 0) {
          missing.push_back(p.string() + ": cannot list directory (" + std::strerror(errno) + ")");
          it.disable_recursion_pending();
        }
        continue;
      }
      if (is_sidecar(p) || !is_supported_file(p)) continue;
      if (!it->is_regular_file(ec)) {
        std::error_code link_ec;
        if (it->is_symlink(link_ec) && !fs::exists(it->status(ec))) {
          missing.push_back(p.string() + ": broken symbolic link");
        } else {
          missing.push_back(p.string() + ": not a regular file");
        }
        ec.clear();
        continue;
      }
      const fs::path relative = p.lexically_relative(root);
      if (!selected(selection, relative)) continue;
      found.push_back(CollectedFile{p, root});
    }
    std::sort(found.begin(), found.end(),
              [](const CollectedFile& a, const CollectedFile& b) { return a.path < b.path; });
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

}  // namespace concord
