// Small pieces every parser of an S3 XML request body uses (tagging, DeleteObjects,
// CompleteMultipartUpload, ownership controls, the public access block). Pure functions;
// thread-safe.
#pragma once

#include <optional>
#include <pugixml.hpp>
#include <string>

#include "common/status.h"

namespace kumo::s3 {

// S3's answer to a body that is not well-formed or does not fit the schema.
Status MalformedXml();

// The text of a leaf element (character data and CDATA); std::nullopt when it holds
// child elements.
std::optional<std::string> LeafText(pugi::xml_node node);

}  // namespace kumo::s3
