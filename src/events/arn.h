// Handler ARNs as bindings name them: "arn:kumo:lambda:::function:<name>" for functions
// and "arn:kumo:sqs::<ID>:<type>" for notification targets (MinIO's form). The region
// field may hold any value, and so may the account field of a function ARN, so two
// ARNs name the same handler when they agree on everything else. Pure functions.
#pragma once

#include <string>
#include <string_view>

namespace kumo::events {

// The canonical form: region (and, for lambda, account) emptied. An input that is not
// "arn:<partition>:<service>:<region>:<account>:<resource>" is returned unchanged.
std::string CanonicalArn(std::string_view arn);

// Whether an ARN names a function ("arn:<partition>:lambda:...").
bool IsFunctionArn(std::string_view arn);

// Whether two ARNs name the same handler.
bool SameArn(std::string_view a, std::string_view b);

}  // namespace kumo::events
