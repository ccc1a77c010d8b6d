// Writers for test documents.
#include "fixtures.hpp"

#include <zip.h>

#include <cstdio>
#include <stdexcept>

namespace concord::test {

namespace {

std::string pdf_escape(const std::string& s) {
  std::string out;
  for (const char c : s) {
    if (c == '(' || c == ')' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string zip_from(const std::vector<std::pair<std::string, std::string>>& members) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* sink = zip_source_buffer_create(nullptr, 0, 0, &error);
  zip_source_keep(sink);
  zip_t* archive = zip_open_from_source(sink, ZIP_TRUNCATE, &error);
  if (archive == nullptr) throw std::runtime_error("zip_open_from_source failed");
  for (const auto& [name, content] : members) {
    zip_source_t* s = zip_source_buffer(archive, content.data(), content.size(), 0);
    if (zip_file_add(archive, name.c_str(), s, ZIP_FL_OVERWRITE) < 0)
      throw std::runtime_error("zip_file_add failed");
  }
  if (zip_close(archive) != 0) throw std::runtime_error("zip_close failed");
  zip_source_open(sink);
  zip_source_seek(sink, 0, SEEK_END);
  const zip_int64_t size = zip_source_tell(sink);
  zip_source_seek(sink, 0, SEEK_SET);
  std::string out(static_cast<std::size_t>(size), '\0');
  zip_source_read(sink, out.data(), static_cast<zip_uint64_t>(size));
  zip_source_close(sink);
  zip_source_free(sink);
  return out;
}

}  // namespace

std::string make_pdf(const std::vector<PdfPage>& pages, const std::string& title,
                     bool drawing_only) {
  std::vector<std::string> objects;  // object n is objects[n - 1]
  const std::size_t font = 3;
  std::string kids;
  std::vector<std::string> page_objects, streams;
  for (const auto& page : pages) {
    std::string content;
    if (drawing_only) {
      content = "0.5 g 72 600 300 100 re f 0 g 100 400 m 400 400 l S\n";
    } else {
      for (const auto& line : page) {
        char head[64];
        std::snprintf(head, sizeof head, "BT /F1 %.1f Tf 72 %.1f Td (", line.size, line.y);
        content += head + pdf_escape(line.text) + ") Tj ET\n";
      }
    }
    streams.push_back(content);
  }
  // 1 catalog, 2 pages, 3 font, then (page, stream) pairs, then info.
  objects.push_back("<< /Type /Catalog /Pages 2 0 R >>");
  objects.push_back("");  // pages, filled below
  objects.push_back(
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
  for (std::size_t i = 0; i < pages.size(); ++i) {
    const std::size_t page_no = objects.size() + 1, stream_no = page_no + 1;
    objects.push_back(
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 " +
        std::to_string(font) + " 0 R >> >> /Contents " + std::to_string(stream_no) + " 0 R >>");
    objects.push_back("<< /Length " + std::to_string(streams[i].size()) + " >>\nstream\n" +
                      streams[i] + "endstream");
    kids += std::to_string(page_no) + " 0 R ";
  }
  objects[1] =
      "<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages.size()) + " >>";
  std::string info;
  if (!title.empty()) {
    objects.push_back("<< /Title (" + pdf_escape(title) +
                      ") /Author (Concord Tests) /CreationDate (D:20220315120000Z) >>");
    info = " /Info " + std::to_string(objects.size()) + " 0 R";
  }
  std::string pdf = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const std::size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (const auto off : offsets) {
    char entry[32];
    std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", off);
    pdf += entry;
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R" + info +
         " >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

std::string make_docx(const std::vector<std::pair<std::string, std::string>>& paragraphs,
                      const std::string& title, const std::string& creator) {
  const std::string w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
  std::string body;
  for (const auto& [style, text] : paragraphs) {
    body += "<w:p><w:pPr>";
    if (!style.empty()) body += "<w:pStyle w:val=\"" + style + "\"/>";
    if (style == "ListNumber")
      body += "<w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr>";
    if (style == "ListNumber2")
      body += "<w:numPr><w:ilvl w:val=\"1\"/><w:numId w:val=\"1\"/></w:numPr>";
    if (style == "ListFrom5")
      body += "<w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"2\"/></w:numPr>";
    body += "</w:pPr><w:r><w:t xml:space=\"preserve\">" + text + "</w:t></w:r></w:p>";
  }
  const std::string document =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"" + w +
      "\"><w:body>" + body + "</w:body></w:document>";
  std::string styles =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<w:styles xmlns:w=\"" + w + "\">";
  for (int level = 1; level <= 3; ++level) {
    styles += "<w:style w:type=\"paragraph\" w:styleId=\"Heading" + std::to_string(level) +
              "\"><w:name w:val=\"heading " + std::to_string(level) + "\"/></w:style>";
  }
  styles +=
      "<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/></w:style>"
      "<w:style w:type=\"paragraph\" w:styleId=\"ListNumber\"><w:name w:val=\"List "
      "Number\"/></w:style>"
      "<w:style w:type=\"paragraph\" w:styleId=\"ChapterTitle\"><w:name w:val=\"Chapter "
      "Title\"/><w:basedOn w:val=\"Heading1\"/></w:style>"
      "<w:style w:type=\"paragraph\" w:styleId=\"SubBase\"><w:name w:val=\"Sub Base\"/>"
      "<w:basedOn w:val=\"Heading2\"/></w:style>"
      "<w:style w:type=\"paragraph\" w:styleId=\"SubChapter\"><w:name w:val=\"Sub "
      "Chapter\"/><w:basedOn w:val=\"SubBase\"/></w:style></w:styles>";
  const std::string numbering =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<w:numbering xmlns:w=\"" + w +
      "\"><w:abstractNum w:abstractNumId=\"0\"><w:lvl w:ilvl=\"0\"><w:numFmt w:val=\"decimal\"/>"
      "<w:lvlText w:val=\"(%1)\"/></w:lvl><w:lvl w:ilvl=\"1\"><w:numFmt "
      "w:val=\"lowerLetter\"/><w:lvlText w:val=\"(%2)\"/></w:lvl></w:abstractNum>"
      "<w:abstractNum w:abstractNumId=\"1\"><w:lvl w:ilvl=\"0\"><w:start w:val=\"5\"/>"
      "<w:numFmt w:val=\"decimal\"/><w:lvlText w:val=\"%1.\"/></w:lvl></w:abstractNum>"
      "<w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num><w:num w:numId=\"2\">"
      "<w:abstractNumId w:val=\"1\"/></w:num></w:numbering>";
  const std::string core =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<cp:coreProperties "
      "xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
      "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\">"
      "<dc:title>" +
      title + "</dc:title><dc:creator>" + creator +
      "</dc:creator>"
      "<dcterms:created>2021-06-30T09:00:00Z</dcterms:created></cp:coreProperties>";
  const std::string types =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Types "
      "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
      "<Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>";
  return zip_from({{"[Content_Types].xml", types},
                   {"word/document.xml", document},
                   {"word/styles.xml", styles},
                   {"word/numbering.xml", numbering},
                   {"docProps/core.xml", core}});
}

std::string make_zip_bomb(const std::string& member, std::size_t size) {
  return zip_from({{"[Content_Types].xml", "<Types/>"}, {member, std::string(size, '\0')}});
}

}  // namespace concord::test
