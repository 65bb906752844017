// Fuzzes browser POST uploads' multipart/form-data: FormDataBoundary (the Content-Type)
// and FormDataParser.
//
// Two parts per input:
//  1. arbitrary bytes are parsed whole and again in fuzzer-chosen pieces: both parses
//     reach the same status with the same fields and file bytes, which never exceed the
//     input;
//  2. a form encoded from the input's fields and file parses, in any pieces, to exactly
//     those fields and that file.
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_util.h"
#include "s3/form_data.h"

namespace {

using kumo::Status;

// Records what the parser reports, independent of how the file bytes were split.
class Recorder : public kumo::s3::FormDataHandler {
 public:
  Status OnField(const kumo::s3::FormPart& part, std::string value) override {
    KUMO_FUZZ_CHECK(!in_file_);
    fields.emplace_back(part.name, std::move(value));
    return Status::OK();
  }
  Status OnFileBegin(const kumo::s3::FormPart& part) override {
    KUMO_FUZZ_CHECK(!in_file_ && !file_begun);
    in_file_ = file_begun = true;
    filename = part.filename;
    return Status::OK();
  }
  Status OnFileData(std::string_view data) override {
    KUMO_FUZZ_CHECK(in_file_);
    file.append(data);
    return Status::OK();
  }
  Status OnFileEnd() override {
    KUMO_FUZZ_CHECK(in_file_);
    in_file_ = false;
    file_ended = true;
    return Status::OK();
  }

  kumo::StringPairs fields;
  std::string file, filename;
  bool file_begun = false, file_ended = false;

 private:
  bool in_file_ = false;
};

struct Parsed {
  Status status;
  Recorder record;
};

Parsed Parse(const std::string& boundary, std::string_view body, const std::vector<size_t>& pieces,
             size_t max_pre_file) {
  Parsed p;
  kumo::s3::FormDataParser parser(boundary, &p.record, "file", max_pre_file);
  Status s;
  for (size_t n : pieces) {
    if (!s.ok() || body.empty()) break;
    n = std::min(n, body.size());
    s = parser.Feed(body.substr(0, n));
    body.remove_prefix(n);
  }
  if (s.ok() && !body.empty()) s = parser.Feed(body);
  if (s.ok()) s = parser.Finish();
  if (s.ok()) KUMO_FUZZ_CHECK(parser.file_seen() == p.record.file_begun);
  p.status = s;
  return p;
}

std::vector<size_t> ConsumePieces(FuzzedDataProvider& in) {
  std::vector<size_t> pieces(in.ConsumeIntegralInRange<size_t>(0, 16));
  for (size_t& n : pieces) n = in.ConsumeIntegralInRange<size_t>(1, 64);
  return pieces;
}

void ParseArbitrary(FuzzedDataProvider& in) {
  std::string content_type = in.ConsumeRandomLengthString(96);
  std::optional<std::string> boundary = kumo::s3::FormDataBoundary(content_type);
  if (boundary) KUMO_FUZZ_CHECK(!boundary->empty() && boundary->size() <= 70);
  if (!boundary || in.ConsumeBool()) boundary = "kumo";
  size_t max_pre_file = in.ConsumeIntegralInRange<size_t>(0, 1024);
  std::vector<size_t> pieces = ConsumePieces(in);
  std::string body = in.ConsumeRemainingBytesAsString();
  Parsed whole = Parse(*boundary, body, {}, max_pre_file);
  Parsed split = Parse(*boundary, body, pieces, max_pre_file);
  if (whole.status.code() != split.status.code()) {
    std::fprintf(stderr, "whole: %s\nsplit: %s\nmax_pre_file %zu\n",
                 whole.status.ToString().c_str(), split.status.ToString().c_str(), max_pre_file);
  }
  KUMO_FUZZ_CHECK(whole.status.code() == split.status.code());
  KUMO_FUZZ_CHECK(whole.record.fields == split.record.fields);
  KUMO_FUZZ_CHECK(whole.record.file == split.record.file);
  KUMO_FUZZ_CHECK(whole.record.file.size() <= body.size());
  if (whole.status.ok()) KUMO_FUZZ_CHECK(whole.record.file_begun == whole.record.file_ended);
}

void EncodeAndParse(FuzzedDataProvider& in) {
  std::string boundary = kumo::fuzz::ConsumeFrom(in, kumo::fuzz::kAlnum, 70);
  if (boundary.empty()) boundary = "b";
  KUMO_FUZZ_CHECK(kumo::s3::FormDataBoundary("multipart/form-data; boundary=" + boundary) ==
                  boundary);
  KUMO_FUZZ_CHECK(
      kumo::s3::FormDataBoundary("multipart/form-data; boundary=\"" + boundary + "\"") == boundary);
  const std::string delimiter = "\r\n--" + boundary;
  std::string body = in.ConsumeBool() ? "" : "preamble\r\n";
  body += "--" + boundary;
  kumo::StringPairs fields;
  size_t n = in.ConsumeIntegralInRange<size_t>(0, 8);
  for (size_t i = 0; i < n; ++i) {
    std::string name = kumo::fuzz::ConsumeFrom(in, kumo::fuzz::kAlnum, 16);
    if (name.empty() || name.size() == 4) name += "-x";  // never "file", in any case
    std::string value = in.ConsumeRandomLengthString(64);
    body += "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value;
    body += delimiter;
    fields.emplace_back(name, value);
  }
  std::string file = in.ConsumeRandomLengthString(512);
  body += "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n";
  body += "Content-Type: text/plain\r\n\r\n" + file + delimiter;
  body += in.ConsumeBool()
              ? "--"
              : "\r\nContent-Disposition: form-data; name=\"after\"\r\n\r\nx" + delimiter + "--";
  body += in.ConsumeBool() ? "\r\n" : "\r\nepilogue";
  // A value or the file that holds the delimiter ends its part early, as it should.
  for (const auto& [name, value] : fields) {
    if ((value + delimiter).find(delimiter) != value.size()) return;
  }
  if ((file + delimiter).find(delimiter) != file.size()) return;

  Parsed p = Parse(boundary, body, ConsumePieces(in), 20 * 1024);
  if (!p.status.ok()) std::fprintf(stderr, "parse: %s\n", p.status.ToString().c_str());
  KUMO_FUZZ_CHECK(p.status.ok());
  KUMO_FUZZ_CHECK(p.record.fields == fields);
  KUMO_FUZZ_CHECK(p.record.file_begun && p.record.file_ended);
  KUMO_FUZZ_CHECK(p.record.file == file);
  KUMO_FUZZ_CHECK(p.record.filename == "a.txt");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  if (in.ConsumeBool()) {
    ParseArbitrary(in);
  } else {
    EncodeAndParse(in);
  }
  return 0;
}
