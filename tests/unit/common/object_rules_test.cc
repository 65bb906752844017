#include "common/object_rules.h"

#include <gtest/gtest.h>

#include <string>

namespace kumo {
namespace {

TEST(ObjectRulesTest, KeysAreOneTo1024BytesOfUtf8) {
  EXPECT_TRUE(ValidateObjectKey("photos/2026/a b+c=ü.jpg").ok());
  EXPECT_TRUE(ValidateObjectKey(std::string(1024, 'k')).ok());
  EXPECT_TRUE(ValidateObjectKey(std::string("nul\0inside", 10)).ok());  // S3 accepts it
  EXPECT_TRUE(ValidateObjectKey("").Is(ErrorCode::kInvalidArgument));
  EXPECT_TRUE(ValidateObjectKey(std::string(1025, 'k')).Is(ErrorCode::kKeyTooLongError));
  EXPECT_TRUE(ValidateObjectKey("bad\xC3").Is(ErrorCode::kInvalidArgument));
  EXPECT_TRUE(ValidateObjectKey("\xED\xA0\x80").Is(ErrorCode::kInvalidArgument));  // surrogate
}

TEST(ObjectRulesTest, UserMetadataIsTokensWithoutLineBreaksWithin2KB) {
  EXPECT_TRUE(ValidateUserMetadata({{"author", "me"}, {"x-y_z", "v"}}).ok());
  EXPECT_TRUE(ValidateUserMetadata({{"a", std::string(2047, 'v')}}).ok());
  EXPECT_TRUE(
      ValidateUserMetadata({{"a", std::string(2048, 'v')}}).Is(ErrorCode::kMetadataTooLarge));
  EXPECT_TRUE(ValidateUserMetadata({{"bad name", "v"}}).Is(ErrorCode::kInvalidArgument));
  EXPECT_TRUE(ValidateUserMetadata({{"", "v"}}).Is(ErrorCode::kInvalidArgument));
  EXPECT_TRUE(
      ValidateUserMetadata({{"a", "line\r\nX-Injected: 1"}}).Is(ErrorCode::kInvalidArgument));
}

TEST(ObjectRulesTest, TheDefaultContentTypeIsS3s) {
  EXPECT_EQ(kDefaultContentType, "binary/octet-stream");
}

}  // namespace
}  // namespace kumo
