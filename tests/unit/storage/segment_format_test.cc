// Segment records: round trip through the scanner, torn tails, bad checksums and bad
// headers are told apart.
#include "storage/segment_format.h"

#include <gtest/gtest.h>

#include <array>

#include "test_util.h"

namespace kumo::storage {
namespace {

using State = SegmentScanner::State;

std::string Record(std::string_view key, std::string_view data) {
  std::array<char, kRecordHeaderSize> h;
  EncodeRecordHeader(key, data, h.data());
  std::string out(h.data(), h.size());
  out.append(key);
  out.append(data);
  return out;
}

std::vector<State> Scan(const std::string& path, std::vector<SegmentScanner::Record>* recs) {
  auto file = BlobFile::OpenForRead(path);
  EXPECT_TRUE(file.ok());
  SegmentScanner scanner(*file, *(*file)->Size());
  std::vector<State> states;
  for (;;) {
    SegmentScanner::Record rec;
    auto st = scanner.Next(&rec);
    EXPECT_TRUE(st.ok());
    states.push_back(*st);
    if (*st != State::kRecord) return states;
    recs->push_back(std::move(rec));
  }
}

TEST(SegmentFormatTest, ScansRecordsAndDetectsDamage) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/seg";
  const std::string big = testing::Bytes(3 << 20, 1);  // larger than the read-ahead
  std::string contents = Record("k1", "hello") + Record("k2", big) + Record("", "");
  {
    auto f = BlobFile::Create(path);
    ASSERT_TRUE(f.ok());
    ASSERT_TRUE((*f)->WriteAt(0, contents).ok());
    ASSERT_TRUE((*f)->WriteAt(contents.size(), Record("k3", "torn").substr(0, 20)).ok());
  }
  std::vector<SegmentScanner::Record> recs;
  EXPECT_EQ(Scan(path, &recs),
            (std::vector<State>{State::kRecord, State::kRecord, State::kRecord, State::kTorn}));
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[0].key, "k1");
  EXPECT_EQ(recs[0].data, "hello");
  EXPECT_EQ(recs[0].data_offset, kRecordHeaderSize + 2);
  EXPECT_EQ(recs[1].data, big);
  EXPECT_EQ(recs[1].offset, RecordSize(2, 5));
  for (const auto& r : recs) EXPECT_TRUE(r.crc_ok);

  // Flip one data byte: the record still parses, its checksum does not match.
  {
    auto f = BlobFile::OpenForWrite(path);
    ASSERT_TRUE((*f)->WriteAt(recs[0].data_offset, "J").ok());
  }
  recs.clear();
  Scan(path, &recs);
  ASSERT_FALSE(recs.empty());
  EXPECT_FALSE(recs[0].crc_ok);

  // A bad magic: nothing after it can be trusted.
  {
    auto f = BlobFile::OpenForWrite(path);
    ASSERT_TRUE((*f)->WriteAt(recs[1].offset, "XXXX").ok());
  }
  recs.clear();
  EXPECT_EQ(Scan(path, &recs), (std::vector<State>{State::kRecord, State::kCorrupt}));
}

TEST(SegmentFormatTest, CompactionKeepsSegmentWithCorruptLiveRecord) {
  testing::TempDir dir;
  auto store = testing::OpenStore(testing::TestOptions(dir.path()));
  testing::MakeBucket(store.get(), "b");
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(testing::Put(store.get(), "b", testing::Numbered("k", i), "payload").ok());
  }
  auto victim = store->HeadObject("b", "k0");
  ASSERT_TRUE(victim.ok());
  const Extent e = victim->extents.at(0);
  for (int i = 1; i < 100; ++i)
    ASSERT_TRUE(store->DeleteObject("b", testing::Numbered("k", i)).ok());
  // Seal the first segment: reopen starts appends in a new one.
  store.reset();
  store = testing::OpenStore(testing::TestOptions(dir.path()));
  {
    auto f = BlobFile::OpenForWrite(dir.path() + "/blobs/" + BlobName(true, e.file_id));
    ASSERT_TRUE(f.ok());
    ASSERT_TRUE((*f)->WriteAt(e.offset, "X").ok());
  }
  Status st = store->CompactNow();
  EXPECT_TRUE(st.Is(ErrorCode::kCorruption)) << st.ToString();
  // The segment and the (damaged) object are still there for an operator to inspect.
  EXPECT_TRUE(std::filesystem::exists(dir.path() + "/blobs/" + BlobName(true, e.file_id)));
  EXPECT_EQ(testing::Get(store.get(), "b", "k0"), "Xayload");
}

}  // namespace
}  // namespace kumo::storage
