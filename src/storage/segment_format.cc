#include "storage/segment_format.h"

#include <zlib.h>

#include <algorithm>

#include "storage/coding.h"

namespace kumo::storage {

namespace {

constexpr uint64_t kReadAhead = 1 << 20;

uint32_t RecordCrc(const char* lengths8, std::string_view key, std::string_view data) {
  uLong crc = crc32(0L, Z_NULL, 0);
  crc = crc32(crc, reinterpret_cast<const Bytef*>(lengths8), 8);
  // zlib takes uInt lengths; records are far below 4 GiB (small objects only).
  crc = crc32(crc, reinterpret_cast<const Bytef*>(key.data()), static_cast<uInt>(key.size()));
  crc = crc32(crc, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size()));
  return static_cast<uint32_t>(crc);
}

}  // namespace

void EncodeRecordHeader(std::string_view key, std::string_view data, char* out) {
  std::string h;
  h.reserve(kRecordHeaderSize);
  PutFixed32(&h, kRecordMagic);
  PutFixed32(&h, static_cast<uint32_t>(key.size()));
  PutFixed32(&h, static_cast<uint32_t>(data.size()));
  PutFixed32(&h, RecordCrc(h.data() + 4, key, data));
  std::copy(h.begin(), h.end(), out);
}

SegmentScanner::SegmentScanner(std::shared_ptr<BlobFile> file, uint64_t file_size)
    : file_(std::move(file)), file_size_(file_size) {}

Result<bool> SegmentScanner::Fill(uint64_t offset, uint64_t n) {
  if (offset + n > file_size_) return false;
  if (offset >= buf_offset_ && offset + n <= buf_offset_ + buf_.size()) return true;
  uint64_t want = std::min(std::max(n, kReadAhead), file_size_ - offset);
  buf_.resize(want);
  buf_offset_ = offset;
  KUMO_ASSIGN_OR_RETURN(size_t got, file_->ReadAt(offset, buf_.data(), want));
  buf_.resize(got);
  return got >= n;
}

Result<SegmentScanner::State> SegmentScanner::Next(Record* rec) {
  if (pos_ >= file_size_) return State::kEnd;
  KUMO_ASSIGN_OR_RETURN(bool have, Fill(pos_, kRecordHeaderSize));
  if (!have) return State::kTorn;
  const char* h = buf_.data() + (pos_ - buf_offset_);
  if (DecodeFixed32(h) != kRecordMagic) return State::kCorrupt;
  uint32_t key_len = DecodeFixed32(h + 4);
  uint32_t data_len = DecodeFixed32(h + 8);
  uint32_t crc = DecodeFixed32(h + 12);
  char lengths[8];
  std::copy(h + 4, h + 12, lengths);
  uint64_t size = RecordSize(key_len, data_len);
  KUMO_ASSIGN_OR_RETURN(have, Fill(pos_, size));
  if (!have) return State::kTorn;
  const char* body = buf_.data() + (pos_ - buf_offset_) + kRecordHeaderSize;
  rec->offset = pos_;
  rec->data_offset = pos_ + kRecordHeaderSize + key_len;
  rec->size = size;
  rec->key.assign(body, key_len);
  rec->data.assign(body + key_len, data_len);
  rec->crc_ok = RecordCrc(lengths, rec->key, rec->data) == crc;
  pos_ += size;
  return State::kRecord;
}

}  // namespace kumo::storage
