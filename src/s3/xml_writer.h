// Builds the small XML documents S3 returns (list results, errors), on pugixml.
// One writer per document; not thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace kumo::s3 {

class XmlWriter {
 public:
  // Root element; with_namespace adds xmlns="http://s3.amazonaws.com/doc/2006-03-01/".
  explicit XmlWriter(std::string_view root, bool with_namespace = true);
  ~XmlWriter();

  // Appends <name>value</name> to the current element.
  void Text(std::string_view name, std::string_view value);
  // Sets the text content of the current element.
  void Value(std::string_view value);
  // Opens a child element; subsequent calls add to it until Close().
  void Open(std::string_view name);
  void Close();
  // Serializes the document (with the XML declaration).
  std::string Finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kumo::s3
