#include "catalog/pending_attributes.h"

#include <charconv>
#include <cstdio>

namespace kumo::catalog {

namespace {

constexpr char kVersion = 1;

void PutField(std::string* out, std::string_view s) {
  const auto n = static_cast<uint32_t>(s.size());
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>((n >> (8 * i)) & 0xff));
  out->append(s);
}

bool GetField(std::string_view* in, std::string* out) {
  if (in->size() < 4) return false;
  uint32_t n = 0;
  for (int i = 0; i < 4; ++i)
    n |= static_cast<uint32_t>(static_cast<unsigned char>((*in)[i])) << (8 * i);
  in->remove_prefix(4);
  if (in->size() < n) return false;
  out->assign(in->substr(0, n));
  in->remove_prefix(n);
  return true;
}

}  // namespace

std::string PendingKey(uint64_t seq) {
  char hex[17];
  std::snprintf(hex, sizeof(hex), "%016llx", static_cast<unsigned long long>(seq));
  return std::string(kPendingPrefix).append(hex);
}

uint64_t PendingSeq(std::string_view key) {
  if (key.substr(0, kPendingPrefix.size()) != kPendingPrefix) return 0;
  key.remove_prefix(kPendingPrefix.size());
  uint64_t seq = 0;
  auto [p, ec] = std::from_chars(key.data(), key.data() + key.size(), seq, 16);
  return ec == std::errc() && p == key.data() + key.size() ? seq : 0;
}

std::string EncodePending(const PendingAttributes& p) {
  std::string out;
  out.reserve(32 + p.bucket.size() + p.key.size() + p.attributes_json.size() + p.text.size());
  out.push_back(kVersion);
  out.push_back(p.remove ? 'r' : 'p');
  for (const std::string* f : {&p.bucket, &p.key, &p.etag, &p.ns, &p.attributes_json, &p.text}) {
    PutField(&out, *f);
  }
  return out;
}

bool DecodePending(std::string_view in, PendingAttributes* out) {
  if (in.size() < 2 || in[0] != kVersion || (in[1] != 'r' && in[1] != 'p')) return false;
  out->remove = in[1] == 'r';
  in.remove_prefix(2);
  for (std::string* f :
       {&out->bucket, &out->key, &out->etag, &out->ns, &out->attributes_json, &out->text}) {
    if (!GetField(&in, f)) return false;
  }
  return in.empty();
}

}  // namespace kumo::catalog
