#include "storage/index_writer.h"

#include <spdlog/spdlog.h>

#include <map>
#include <optional>
#include <unordered_map>

#include "common/time_util.h"
#include "storage/key_codec.h"
#include "storage/meta_codec.h"
#include "storage/segment_format.h"

namespace kumo::storage {

namespace {

bool SameExtent(const Extent& a, const Extent& b) {
  return a.file_id == b.file_id && a.offset == b.offset && a.length == b.length &&
         a.packed == b.packed;
}

rocksdb::Slice ToSlice(std::string_view s) { return {s.data(), s.size()}; }

// Everything one Apply() call writes, accumulated before the single batch write.
struct BatchState {
  rocksdb::WriteBatch batch;
  std::map<uint64_t, SegmentDelta> segments;
  int64_t objects = 0;
  int64_t live_bytes = 0;
  std::vector<uint64_t> unlink_extents;
  // The record of each touched key as of the mutations applied so far.
  std::unordered_map<std::string, std::optional<ObjectMeta>> current;
};

// Records that sequences up to `last` have been handed out (merged as a maximum).
void AddSequenceHigh(Index* index, uint64_t last, rocksdb::WriteBatch* batch) {
  batch->Merge(index->meta(), ToSlice(kMetaEventSeqHigh),
               EncodeCounters({static_cast<int64_t>(last)}));
}

// Adds the outbox records of the applied mutations to the batch; returns the first
// sequence and the count taken from the sequencer (count 0: none).
std::pair<uint64_t, uint64_t> AddEvents(Index* index, EventSequencer* sequencer,
                                        const std::vector<Mutation*>& mutations,
                                        rocksdb::WriteBatch* batch) {
  uint64_t n = 0;
  for (const Mutation* m : mutations)
    n += m->applied && m->event && m->op != Mutation::Op::kRelocate;
  if (n == 0) return {0, 0};
  uint64_t first = sequencer->Allocate(n), seq = first;
  AddSequenceHigh(index, first + n - 1, batch);
  int64_t now = NowMillis();
  for (const Mutation* m : mutations) {
    if (!m->applied || !m->event || m->op == Mutation::Op::kRelocate) continue;
    EventRecord r;
    r.seq = seq++;
    r.time_ms = now;
    r.name = m->event->name;
    std::string bucket;
    DecodeObjectKey(m->ikey, &bucket, &r.key);
    r.bucket = m->bucket;
    if (m->op != Mutation::Op::kDelete) {
      r.size = m->meta.size;
      r.etag = m->meta.etag;
    }
    r.request_id = m->event->request_id;
    r.principal = m->event->principal;
    r.source_ip = m->event->source_ip;
    r.parent_seq = m->event->parent_seq;
    r.depth = m->event->depth;
    batch->Put(index->events(), EncodeFileId(r.seq), EncodeEventRecord(r));
  }
  return {first, n};
}

// Accounts every byte of a record that the index stops referencing.
void Release(Index* index, const std::string& ikey, const ObjectMeta& old, BatchState* st) {
  for (const Extent& e : old.extents) {
    if (e.packed) {
      st->segments[e.file_id].dead += static_cast<int64_t>(RecordSize(ikey.size(), e.length));
    } else {
      st->batch.Delete(index->extents(), EncodeFileId(e.file_id));
      st->unlink_extents.push_back(e.file_id);
    }
  }
}

}  // namespace

void IndexWriter::Apply(const std::vector<Mutation*>& mutations) {
  std::map<std::string, bool> pinned;  // bucket -> exists
  for (Mutation* m : mutations) {
    if (m->op != Mutation::Op::kRelocate && !pinned.count(m->bucket)) {
      pinned[m->bucket] = buckets_->Pin(m->bucket);
    }
  }
  std::vector<std::string_view> keys;
  keys.reserve(mutations.size());
  for (Mutation* m : mutations) keys.push_back(m->ikey);
  KeyLocks::Guard guard = locks_.Lock(keys);

  BatchState st;
  for (Mutation* m : mutations) {
    m->status = Status::OK();
    m->applied = false;
    const bool new_packed = m->new_record_bytes > 0;
    uint64_t new_seg = new_packed ? m->meta.extents.at(0).file_id : 0;
    if (new_packed) st.segments[new_seg].total += static_cast<int64_t>(m->new_record_bytes);
    auto new_copy_dead = [&] {
      if (new_packed) st.segments[new_seg].dead += static_cast<int64_t>(m->new_record_bytes);
    };
    if (m->op != Mutation::Op::kRelocate && !pinned[m->bucket]) {
      m->status = Status::NoSuchBucket();
      new_copy_dead();
      continue;
    }

    auto cur_it = st.current.find(m->ikey);
    if (cur_it == st.current.end()) {
      std::string value;
      Result<bool> found = index_->Get(index_->objects(), m->ikey, &value);
      std::optional<ObjectMeta> cur;
      if (found.ok() && *found) {
        cur.emplace();
        if (!DecodeObjectMeta(value, &*cur)) found = Status::Corruption("bad object record");
      }
      if (!found.ok()) {
        m->status = found.status();
        new_copy_dead();
        continue;
      }
      cur_it = st.current.emplace(m->ikey, std::move(cur)).first;
    }
    std::optional<ObjectMeta>& cur = cur_it->second;

    switch (m->op) {
      case Mutation::Op::kPut:
        if (m->precommit) {
          m->status = m->precommit(&st.batch);
          if (!m->status.ok()) {
            new_copy_dead();
            break;
          }
        }
        if (cur) Release(index_, m->ikey, *cur, &st);
        st.objects += cur ? 0 : 1;
        st.live_bytes +=
            static_cast<int64_t>(m->meta.size) - static_cast<int64_t>(cur ? cur->size : 0);
        st.batch.Put(index_->objects(), m->ikey, EncodeObjectMeta(m->meta));
        for (const Extent& e : m->meta.extents) {
          if (!e.packed) st.batch.Put(index_->extents(), EncodeFileId(e.file_id), m->ikey);
        }
        cur = m->meta;
        m->applied = true;
        break;
      case Mutation::Op::kDelete:
        if (!cur) break;
        Release(index_, m->ikey, *cur, &st);
        st.objects -= 1;
        st.live_bytes -= static_cast<int64_t>(cur->size);
        st.batch.Delete(index_->objects(), m->ikey);
        cur.reset();
        m->applied = true;
        break;
      case Mutation::Op::kUpdate: {
        if (!cur) {
          m->status = Status::NoSuchKey();
          break;
        }
        ObjectMeta next = *cur;
        m->status = m->update(next);
        if (!m->status.ok()) break;
        // The bytes are untouched: the extents (and so the accounting) stay as they are.
        next.size = cur->size;
        next.etag = cur->etag;
        next.extents = cur->extents;
        st.batch.Put(index_->objects(), m->ikey, EncodeObjectMeta(next));
        m->meta = next;
        cur = std::move(next);
        m->applied = true;
        break;
      }
      case Mutation::Op::kRelocate: {
        if (!cur) {
          new_copy_dead();
          break;
        }
        bool moved = false;
        for (Extent& e : cur->extents) {
          if (SameExtent(e, m->expected)) {
            e = m->meta.extents.at(0);
            moved = true;
          }
        }
        if (!moved) {
          new_copy_dead();
          break;
        }
        st.segments[m->expected.file_id].dead +=
            static_cast<int64_t>(RecordSize(m->ikey.size(), m->expected.length));
        st.batch.Put(index_->objects(), m->ikey, EncodeObjectMeta(*cur));
        m->applied = true;
        break;
      }
    }
  }

  for (const auto& [id, d] : st.segments) {
    st.batch.Merge(index_->segments(), EncodeFileId(id), EncodeCounters({d.total, d.dead}));
  }
  if (st.objects != 0 || st.live_bytes != 0) {
    st.batch.Merge(index_->meta(), ToSlice(kMetaStats),
                   EncodeCounters({st.objects, st.live_bytes}));
  }
  auto [first_seq, seq_count] = AddEvents(index_, sequencer_, mutations, &st.batch);
  Status written = index_->Write(&st.batch);
  if (seq_count > 0) {
    // The numbers of a failed batch are passed by the watermark, so cursors may move
    // past them: they must count as used before that, or a restart would hand them out
    // again below a cursor. If even that cannot be written, they stay in flight (the
    // watermark waits, and a restart may reuse them: nothing refers to them).
    bool settle = written.ok();
    if (!settle) {
      rocksdb::WriteBatch high;
      AddSequenceHigh(index_, first_seq + seq_count - 1, &high);
      settle = index_->Write(&high, /*synced=*/true).ok();
      if (!settle) spdlog::error("storage: cannot record event sequences {}+: held", first_seq);
    }
    if (settle) sequencer_->Settle(first_seq, seq_count);
  }
  if (written.ok()) {
    segments_->ApplyDeltas(st.segments);
  } else {
    // Packed bytes of this batch stay unaccounted; recovery counts them as dead.
    for (Mutation* m : mutations) {
      if (m->status.ok()) m->status = written;
      m->applied = false;
    }
  }
  for (const auto& [bucket, exists] : pinned) {
    if (exists) buckets_->Unpin(bucket);
  }
  if (!written.ok()) return;
  // Open readers keep their fds; a crash before the unlink leaves an unreferenced file,
  // which recovery removes.
  for (uint64_t id : st.unlink_extents) {
    Status s = RemoveFile(blobs_dir_ + "/" + BlobName(false, id));
    if (!s.ok()) spdlog::warn("storage: {}", s.ToString());
  }
}

}  // namespace kumo::storage
