#include "s3/form_data.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kumo::s3 {
namespace {

constexpr char kBoundary[] = "----KumoBoundary7MA4YWxkTrZu0gW";

// Records what the parser reports, as one comparable value.
struct Recorded {
  StringPairs fields;
  FormPart file;
  std::string data;
  int begins = 0;
  int ends = 0;
  bool operator==(const Recorded& o) const {
    return fields == o.fields && file.name == o.file.name && file.filename == o.file.filename &&
           file.has_filename == o.file.has_filename && file.content_type == o.file.content_type &&
           data == o.data && begins == o.begins && ends == o.ends;
  }
};

class Recorder : public FormDataHandler {
 public:
  Status OnField(const FormPart& part, std::string value) override {
    got.fields.emplace_back(part.name, std::move(value));
    return Status::OK();
  }
  Status OnFileBegin(const FormPart& part) override {
    got.file = part;
    ++got.begins;
    return fail_on_begin;
  }
  Status OnFileData(std::string_view data) override {
    got.data.append(data);
    return Status::OK();
  }
  Status OnFileEnd() override {
    ++got.ends;
    return Status::OK();
  }
  Recorded got;
  Status fail_on_begin;
};

std::string Part(std::string_view disposition, std::string_view value,
                 std::string_view extra_headers = "") {
  return "--" + std::string(kBoundary) + "\r\nContent-Disposition: form-data; " +
         std::string(disposition) + "\r\n" + std::string(extra_headers) + "\r\n" +
         std::string(value) + "\r\n";
}

std::string Close() { return "--" + std::string(kBoundary) + "--\r\n"; }

// Feeds body in the given pieces; returns the first error (of Feed or Finish).
Status Parse(const std::vector<std::string_view>& pieces, Recorder* rec,
             size_t max_pre_file = 20 * 1024) {
  FormDataParser parser(kBoundary, rec, "file", max_pre_file);
  for (auto piece : pieces) KUMO_RETURN_IF_ERROR(parser.Feed(piece));
  return parser.Finish();
}

// Parses body whole, split at every position, and one byte at a time: all must agree.
Recorded ParseEverySplit(const std::string& body) {
  Recorder whole;
  Status s = Parse({body}, &whole);
  EXPECT_TRUE(s.ok()) << s.ToString();
  for (size_t cut = 0; cut <= body.size(); ++cut) {
    Recorder split;
    std::string_view b = body;
    Status st = Parse({b.substr(0, cut), b.substr(cut)}, &split);
    EXPECT_TRUE(st.ok()) << "cut at " << cut << ": " << st.ToString();
    EXPECT_TRUE(split.got == whole.got) << "cut at " << cut;
  }
  Recorder bytes;
  FormDataParser parser(kBoundary, &bytes);
  for (char c : body) EXPECT_TRUE(parser.Feed(std::string_view(&c, 1)).ok());
  EXPECT_TRUE(parser.Finish().ok());
  EXPECT_TRUE(bytes.got == whole.got);
  return whole.got;
}

TEST(FormDataBoundaryTest, ParsesTheMediaType) {
  EXPECT_EQ(FormDataBoundary("multipart/form-data; boundary=abc"), "abc");
  EXPECT_EQ(FormDataBoundary("Multipart/Form-Data;boundary=\"a b:c\""), "a b:c");
  EXPECT_EQ(FormDataBoundary("multipart/form-data; charset=utf-8; BOUNDARY=x1"), "x1");
  EXPECT_EQ(FormDataBoundary("multipart/form-data"), std::nullopt);
  EXPECT_EQ(FormDataBoundary("multipart/form-data; boundary="), std::nullopt);
  EXPECT_EQ(FormDataBoundary("multipart/mixed; boundary=abc"), std::nullopt);
  EXPECT_EQ(FormDataBoundary("multipart/form-data; boundary=" + std::string(71, 'a')),
            std::nullopt);
  EXPECT_EQ(FormDataBoundary("multipart/form-data; boundary=a\"b"), std::nullopt);
  EXPECT_EQ(FormDataBoundary("multipart/form-data; boundary=\"unterminated"), std::nullopt);
}

TEST(FormDataParserTest, FieldsThenStreamedFileAtEverySplit) {
  std::string body = Part("name=\"key\"", "uploads/${filename}") +
                     Part("name=\"X-Amz-Meta-Tag\"", "") +
                     Part("name=\"file\"; filename=\"cat.jpg\"", "JPEG\r\nbytes\r\n",
                          "Content-Type: image/jpeg\r\n") +
                     Part("name=\"submit\"", "Upload") + Close();
  Recorded got = ParseEverySplit(body);
  EXPECT_EQ(got.fields, (StringPairs{{"key", "uploads/${filename}"}, {"X-Amz-Meta-Tag", ""}}));
  EXPECT_EQ(got.file.name, "file");
  EXPECT_EQ(got.file.filename, "cat.jpg");
  EXPECT_TRUE(got.file.has_filename);
  EXPECT_EQ(got.file.content_type, "image/jpeg");
  EXPECT_EQ(got.data, "JPEG\r\nbytes\r\n");
  EXPECT_EQ(got.begins, 1);
  EXPECT_EQ(got.ends, 1);
}

TEST(FormDataParserTest, BoundaryLookalikesInFileDataAreData) {
  const std::string b = kBoundary;
  // A delimiter needs the CRLF before it: at the very start of the data it is data.
  std::string data = "--" + b + "\r\n--" + b.substr(0, b.size() - 1) + "\r\nx--" + b +
                     "\r\n\r\n-\r" + "\r\n-" + "\r\n--" + b.substr(0, 5) + "\r\n\r";
  Recorded got = ParseEverySplit(Part("name=\"file\"; filename=\"x\"", data) + Close());
  EXPECT_EQ(got.data, data);
  EXPECT_EQ(got.ends, 1);
}

TEST(FormDataParserTest, EmptyFileAndValuesPreambleEpilogueAndPadding) {
  std::string body = "preamble text\r\n" + Part("name=\"a\"", "") + "--" + kBoundary +
                     " \t\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n\r\n" + "--" +
                     kBoundary + "--" + "epilogue\r\n--" + kBoundary + "--\r\n";
  Recorded got = ParseEverySplit(body);
  EXPECT_EQ(got.fields, (StringPairs{{"a", ""}}));
  EXPECT_EQ(got.data, "");
  EXPECT_FALSE(got.file.has_filename);
  EXPECT_EQ(got.ends, 1);
}

TEST(FormDataParserTest, QuotedParameters) {
  Recorded got =
      ParseEverySplit(Part("name=file; filename=\"C:\\dir\\a \\\"q\\\" \\\\.txt\"", "d") + Close());
  EXPECT_EQ(got.file.filename, "C:\\dir\\a \"q\" \\.txt");
}

TEST(FormDataParserTest, FormWithoutFile) {
  Recorded got = ParseEverySplit(Part("name=\"key\"", "k") + Close());
  EXPECT_EQ(got.begins, 0);
  EXPECT_EQ(got.fields, (StringPairs{{"key", "k"}}));
}

TEST(FormDataParserTest, MissingFinalBoundaryIsMalformed) {
  std::string full = Part("name=\"key\"", "k") + Part("name=\"file\"", "abc") + Close();
  for (size_t cut = 0; cut < full.size() - 2; ++cut) {  // the final CRLF is optional
    Recorder rec;
    Status s = Parse({std::string_view(full).substr(0, cut)}, &rec);
    EXPECT_TRUE(s.Is(ErrorCode::kMalformedPOSTRequest)) << "cut " << cut << ": " << s.ToString();
  }
}

TEST(FormDataParserTest, MalformedStructure) {
  const std::string b = kBoundary;
  const std::string cases[] = {
      // The boundary followed by something else than "--" or CRLF.
      Part("name=\"file\"", "ab\r\n--" + b + "X") + Close(),
      "--" + b + "-x",
      // A part without a name, or not form-data, or a header line without a colon.
      Part("filename=\"a\"", "v") + Close(),
      "--" + b + "\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nv\r\n" + Close(),
      "--" + b + "\r\nno colon here\r\n\r\nv\r\n" + Close(),
      "--" + b + "\r\nContent-Disposition: form-data; name=\"a\r\n\r\nv\r\n" + Close(),
  };
  for (const auto& body : cases) {
    Recorder rec;
    Status s = Parse({body}, &rec);
    EXPECT_TRUE(s.Is(ErrorCode::kMalformedPOSTRequest)) << body << ": " << s.ToString();
  }
}

TEST(FormDataParserTest, FieldsBeforeTheFileAreBounded) {
  std::string body =
      Part("name=\"a\"", std::string(3000, 'x')) + Part("name=\"file\"", "d") + Close();
  Recorder ok;
  EXPECT_TRUE(Parse({body}, &ok, 4096).ok());
  Recorder big;
  EXPECT_TRUE(Parse({body}, &big, 2048).Is(ErrorCode::kMaxPostPreDataLengthExceeded));
  // A header line that never ends is bounded too, even fed in small pieces.
  FormDataParser parser(kBoundary, &big, "file", 2048);
  Status s = parser.Feed("--" + std::string(kBoundary) + "\r\nX-Long: ");
  for (int i = 0; i < 100 && s.ok(); ++i) s = parser.Feed(std::string(100, 'y'));
  EXPECT_TRUE(s.Is(ErrorCode::kMaxPostPreDataLengthExceeded)) << s.ToString();
  // The file itself and what follows it are not limited.
  Recorder file;
  std::string large = Part("name=\"file\"", std::string(100000, 'z')) +
                      Part("name=\"after\"", std::string(50000, 'w')) + Close();
  EXPECT_TRUE(Parse({large}, &file, 2048).ok());
  EXPECT_EQ(file.got.data.size(), 100000u);
  EXPECT_TRUE(file.got.fields.empty());  // fields after the file are skipped
}

// Found by tests/fuzz (fuzz_form_data): a malformed header line past the limit failed
// as malformed when it arrived whole but as too large when it arrived in pieces.
TEST(FormDataParserTest, AnOversizedBadHeaderLineFailsTheSameAtEverySplit) {
  std::string body = "--" + std::string(kBoundary) + "\r\n" + std::string(100, 'x') + "\r\n";
  for (size_t cut = 0; cut <= body.size(); ++cut) {
    Recorder rec;
    std::string_view b = body;
    EXPECT_TRUE(Parse({b.substr(0, cut), b.substr(cut)}, &rec, 64)
                    .Is(ErrorCode::kMaxPostPreDataLengthExceeded))
        << "cut at " << cut;
  }
}

TEST(FormDataParserTest, FileBytesAreHandedOverAsTheyArrive) {
  Recorder rec;
  FormDataParser parser(kBoundary, &rec);
  std::string head = Part("name=\"file\"", "");
  head.resize(head.size() - 2);  // up to the blank line that opens the data
  ASSERT_TRUE(parser.Feed(head).ok());
  std::string chunk(64 * 1024, 'q');
  size_t fed = 0;
  for (int i = 0; i < 16; ++i) {
    ASSERT_TRUE(parser.Feed(chunk).ok());
    fed += chunk.size();
    // All but what may begin a delimiter has been passed on.
    EXPECT_GE(rec.got.data.size() + std::string(kBoundary).size() + 4, fed);
  }
  ASSERT_TRUE(parser.Feed("\r\n" + Close()).ok());
  EXPECT_TRUE(parser.Finish().ok());
  EXPECT_EQ(rec.got.data.size(), fed);
}

TEST(FormDataParserTest, HandlerErrorsStopAndStick) {
  Recorder rec;
  rec.fail_on_begin = Status(ErrorCode::kAccessDenied, "no");
  FormDataParser parser(kBoundary, &rec);
  std::string body = Part("name=\"file\"", "data") + Close();
  EXPECT_TRUE(parser.Feed(body).Is(ErrorCode::kAccessDenied));
  EXPECT_TRUE(parser.Feed("more").Is(ErrorCode::kAccessDenied));
  EXPECT_TRUE(parser.Finish().Is(ErrorCode::kAccessDenied));
  EXPECT_EQ(rec.got.data, "");
}

}  // namespace
}  // namespace kumo::s3
