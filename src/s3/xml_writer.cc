#include "s3/xml_writer.h"

#include <pugixml.hpp>
#include <sstream>
#include <vector>

namespace kumo::s3 {

struct XmlWriter::Impl {
  pugi::xml_document doc;
  std::vector<pugi::xml_node> stack;
};

XmlWriter::XmlWriter(std::string_view root, bool with_namespace) : impl_(std::make_unique<Impl>()) {
  auto decl = impl_->doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  auto node = impl_->doc.append_child(std::string(root).c_str());
  if (with_namespace) {
    node.append_attribute("xmlns") = "http://s3.amazonaws.com/doc/2006-03-01/";
  }
  impl_->stack.push_back(node);
}

XmlWriter::~XmlWriter() = default;

void XmlWriter::Text(std::string_view name, std::string_view value) {
  auto child = impl_->stack.back().append_child(std::string(name).c_str());
  child.append_child(pugi::node_pcdata).set_value(std::string(value).c_str());
}

void XmlWriter::Value(std::string_view value) {
  impl_->stack.back().append_child(pugi::node_pcdata).set_value(std::string(value).c_str());
}

void XmlWriter::Open(std::string_view name) {
  impl_->stack.push_back(impl_->stack.back().append_child(std::string(name).c_str()));
}

void XmlWriter::Close() {
  if (impl_->stack.size() > 1) impl_->stack.pop_back();
}

std::string XmlWriter::Finish() {
  std::ostringstream out;
  impl_->doc.save(out, "", pugi::format_raw, pugi::encoding_utf8);
  return out.str();
}

}  // namespace kumo::s3
