// Builds the small XML documents S3 returns (list results, errors) as a string.
// One writer per document; not thread-safe.
//
// Text is escaped so that the document is always well-formed XML 1.0 and no value is
// ever cut short (values are byte strings, a NUL included): & < > as entities, CR as
// "&#13;" (a raw CR would be read back as LF), TAB and LF as they are. Characters XML
// 1.0 cannot carry at all, not even as a character reference (C0 controls but TAB, LF
// and CR, NUL included, and U+FFFE/U+FFFF), are written as U+FFFD. S3 writes them as
// "&#x1;", which strict parsers (expat, so boto3) refuse; clients that store such keys
// list them exactly with encoding-type=url.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kumo::s3 {

class XmlWriter {
 public:
  // Root element; with_namespace adds xmlns="http://s3.amazonaws.com/doc/2006-03-01/".
  // Element names are the caller's constants and are written as given.
  explicit XmlWriter(std::string_view root, bool with_namespace = true);

  // Appends <name>value</name> to the current element.
  void Text(std::string_view name, std::string_view value);
  // Appends text to the content of the current element.
  void Value(std::string_view value);
  // Opens a child element; subsequent calls add to it until Close().
  void Open(std::string_view name);
  // Opens a child element with attributes, written as given ("a=\"v\" b=\"w\"": the
  // caller's constants, never request data).
  void Open(std::string_view name, std::string_view attributes);
  // Closes the current element; the root stays open.
  void Close();
  // Closes the open elements and returns the document (with the XML declaration).
  std::string Finish();

 private:
  std::string out_;
  std::vector<std::string> open_;  // names of the open elements, the root first
};

// Appends value to out escaped as XML 1.0 character data (see above).
void AppendXmlEscaped(std::string_view value, std::string* out);

}  // namespace kumo::s3
