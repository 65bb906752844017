// The record format of packed segment files (blobs/seg-*). A segment is a sequence of
// records, each written once and never modified:
//
//   magic u32 | key_len u32 | data_len u32 | crc32 u32 | index key | object bytes
//
// (integers little-endian; crc32 is zlib's over key_len, data_len, key and data). The
// index key lets compaction find which object a record belongs to and ask the index
// whether it is still live; the crc lets compaction and recovery reject torn or corrupt
// records. An object's Extent points at its bytes (past header and key).
//
// Thread safety: pure functions; a SegmentScanner is used by one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"
#include "storage/blob_file.h"

namespace kumo::storage {

inline constexpr uint32_t kRecordMagic = 0x4b534731;  // "1GSK" on disk
inline constexpr size_t kRecordHeaderSize = 16;

inline uint64_t RecordSize(size_t key_len, uint64_t data_len) {
  return kRecordHeaderSize + key_len + data_len;
}

// Writes the kRecordHeaderSize-byte header for (key, data) into out.
void EncodeRecordHeader(std::string_view key, std::string_view data, char* out);

// Reads the records of one segment in order through a read-ahead buffer.
class SegmentScanner {
 public:
  enum class State {
    kRecord,   // *rec holds the next record (check rec->crc_ok)
    kEnd,      // clean end of file
    kTorn,     // a partial record at the end of the file (a write cut short)
    kCorrupt,  // a bad header: nothing after it can be trusted
  };
  struct Record {
    uint64_t offset = 0;       // where the record starts
    uint64_t data_offset = 0;  // where the object bytes start (Extent::offset)
    uint64_t size = 0;         // RecordSize()
    std::string key;
    std::string data;
    bool crc_ok = false;
  };

  SegmentScanner(std::shared_ptr<BlobFile> file, uint64_t file_size);
  Result<State> Next(Record* rec);

 private:
  // Makes [offset, offset + n) available in buf_; false at end of file.
  Result<bool> Fill(uint64_t offset, uint64_t n);

  std::shared_ptr<BlobFile> file_;
  uint64_t file_size_;
  uint64_t pos_ = 0;
  std::string buf_;
  uint64_t buf_offset_ = 0;  // file offset of buf_[0]
};

}  // namespace kumo::storage
