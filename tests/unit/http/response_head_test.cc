#include "http/response_head.h"

#include <gtest/gtest.h>

namespace kumo::http {
namespace {

TEST(ResponseHeadTest, StatusLineHeadersLengthAndKeepAlive) {
  EXPECT_EQ(RenderResponseHead(200, {{"ETag", "\"abc\""}, {"x-amz-request-id", "42"}}, 4096, true),
            "HTTP/1.1 200 OK\r\nETag: \"abc\"\r\nx-amz-request-id: 42\r\n"
            "Content-Length: 4096\r\n\r\n");
  EXPECT_EQ(RenderResponseHead(404, {}, 0, false),
            "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(RenderResponseHead(206, {}, 1, true),
            "HTTP/1.1 206 Partial Content\r\nContent-Length: 1\r\n\r\n");
}

TEST(ResponseHeadTest, NoContentLengthWhenNotGiven) {
  EXPECT_EQ(RenderResponseHead(304, {{"ETag", "\"e\""}}, std::nullopt, true),
            "HTTP/1.1 304 Not Modified\r\nETag: \"e\"\r\n\r\n");
  EXPECT_EQ(RenderResponseHead(204, {}, std::nullopt, true), "HTTP/1.1 204 No Content\r\n\r\n");
}

TEST(ResponseHeadTest, ARepeatedNameIsWrittenOnceWithTheLastValue) {
  EXPECT_EQ(RenderResponseHead(200, {{"Content-Type", "a"}, {"x", "1"}, {"content-type", "b"}},
                               std::nullopt, true),
            "HTTP/1.1 200 OK\r\nx: 1\r\ncontent-type: b\r\n\r\n");
}

TEST(ResponseHeadTest, LineBreaksCannotEndTheHeadEarly) {
  std::string head = RenderResponseHead(
      200, {{"x-amz-meta-a", "v\r\nSet-Cookie: x"}, {"x-amz-meta-b\r\nEvil", "1\n"}}, 0, true);
  EXPECT_EQ(head,
            "HTTP/1.1 200 OK\r\nx-amz-meta-a: v  Set-Cookie: x\r\nx-amz-meta-b  Evil: 1 \r\n"
            "Content-Length: 0\r\n\r\n");
}

}  // namespace
}  // namespace kumo::http
