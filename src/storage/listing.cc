#include "storage/listing.h"

#include <memory>

#include "storage/key_codec.h"
#include "storage/meta_codec.h"

namespace kumo::storage {

namespace {

rocksdb::Slice ToSlice(std::string_view s) { return {s.data(), s.size()}; }
std::string_view ToView(const rocksdb::Slice& s) { return {s.data(), s.size()}; }

}  // namespace

Result<ListResult> ListIndex(Index* index, std::string_view bucket, const ListOptions& options) {
  ListResult out;
  if (options.max_keys == 0) return out;
  const std::string base = BucketPrefix(bucket);
  const std::string lower = base + options.prefix;
  // PrefixSuccessor(lower) is never empty: base ends with 0x01.
  const std::string upper = PrefixSuccessor(lower);
  rocksdb::Slice upper_slice = ToSlice(upper);
  rocksdb::ReadOptions ro;
  ro.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(index->db()->NewIterator(ro, index->objects()));

  const std::string_view start_after = options.start_after;
  if (start_after > std::string_view(options.prefix)) {
    it->Seek(ToSlice(base + options.start_after));
  } else {
    it->Seek(ToSlice(lower));
  }
  size_t count = 0;
  while (it->Valid()) {
    std::string_view key = ToView(it->key()).substr(base.size());
    if (key <= start_after) {  // only the start_after key itself, right after the seek
      it->Next();
      continue;
    }
    if (!options.delimiter.empty()) {
      size_t pos = key.find(options.delimiter, options.prefix.size());
      if (pos != std::string_view::npos) {
        std::string common(key.substr(0, pos + options.delimiter.size()));
        // The keys after start_after roll up into `common`; it was already returned
        // only if it IS start_after (a continuation from a page that ended on it).
        // Either way the rest of the group is skipped in one seek.
        if (common != start_after) {
          if (count == options.max_keys) {
            out.truncated = true;
            break;
          }
          out.common_prefixes.push_back(common);
          out.last_returned = common;
          ++count;
        }
        std::string next = PrefixSuccessor(base + common);
        if (next.empty()) break;
        it->Seek(ToSlice(next));
        continue;
      }
    }
    if (count == options.max_keys) {
      out.truncated = true;
      break;
    }
    ListEntry entry;
    entry.key.assign(key);
    if (options.with_meta &&
        !DecodeObjectMeta(ToView(it->value()), &entry.meta, /*with_extents=*/false)) {
      return Status::Corruption("bad object record for " + entry.key);
    }
    out.last_returned = entry.key;
    out.objects.push_back(std::move(entry));
    ++count;
    it->Next();
  }
  if (!it->status().ok()) return FromRocks(it->status());
  return out;
}

Result<bool> BucketHasObjects(Index* index, std::string_view bucket) {
  const std::string base = BucketPrefix(bucket);
  const std::string upper = PrefixSuccessor(base);
  rocksdb::Slice upper_slice = ToSlice(upper);
  rocksdb::ReadOptions ro;
  ro.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(index->db()->NewIterator(ro, index->objects()));
  it->Seek(ToSlice(base));
  if (!it->status().ok()) return FromRocks(it->status());
  return it->Valid();
}

}  // namespace kumo::storage
