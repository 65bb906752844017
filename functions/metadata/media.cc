#include "media.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
}

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <string>

namespace kumo::metadata {
namespace {

thread_local std::string t_av_message;

void CaptureLog(void*, int level, const char* format, va_list args) {
  if (level > AV_LOG_ERROR || !t_av_message.empty()) return;
  char buf[256];
  std::vsnprintf(buf, sizeof(buf), format, args);
  t_av_message = buf;
  while (!t_av_message.empty() && t_av_message.back() == '\n') t_av_message.pop_back();
}

std::string AvError(int code) {
  char buf[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(code, buf, sizeof(buf));
  std::string out = buf;
  if (!t_av_message.empty()) out += " (" + t_av_message + ")";
  return out;
}

int ReadPacket(void* opaque, uint8_t* buf, int size) {
  int64_t n = static_cast<RandomAccess*>(opaque)->Read(buf, static_cast<size_t>(size));
  return n < 0 ? AVERROR(EIO) : n == 0 ? AVERROR_EOF : static_cast<int>(n);
}

int64_t SeekPacket(void* opaque, int64_t offset, int whence) {
  auto* input = static_cast<RandomAccess*>(opaque);
  whence &= ~AVSEEK_FORCE;
  if (whence == AVSEEK_SIZE) return static_cast<int64_t>(input->size());
  int64_t pos = input->Seek(offset, whence);
  return pos < 0 ? AVERROR(EINVAL) : pos;
}

struct Demuxer {
  AVFormatContext* fmt = nullptr;
  AVIOContext* io = nullptr;
  ~Demuxer() {
    avformat_close_input(&fmt);  // custom I/O: does not free io
    if (io != nullptr) av_freep(&io->buffer);
    avio_context_free(&io);
  }
};

std::string ContainerName(const char* names, std::string_view hint) {
  std::string_view all(names != nullptr ? names : "");
  std::string_view first = all.substr(0, all.find(','));
  if (!hint.empty()) {
    for (std::string_view rest = all; !rest.empty();) {
      std::string_view name = rest.substr(0, rest.find(','));
      if (name == hint) return std::string(hint);
      rest.remove_prefix(std::min(rest.size(), name.size() + 1));
    }
    if (first == "mov" || first == "matroska") return std::string(hint);
  }
  return std::string(first == "matroska" ? "mkv" : first);
}

bool NeedsStreamInfo(const AVFormatContext* fmt) {
  if (fmt->nb_streams == 0 || fmt->duration == AV_NOPTS_VALUE) return true;
  for (unsigned i = 0; i < fmt->nb_streams; ++i) {
    const AVCodecParameters* p = fmt->streams[i]->codecpar;
    if (p->codec_id == AV_CODEC_ID_NONE) return true;
    if (p->codec_type == AVMEDIA_TYPE_VIDEO && (p->width == 0 || p->height == 0)) return true;
  }
  return false;
}

}  // namespace

void ReadMedia(const Object& object, std::string_view head, std::string_view format_hint,
               std::unique_ptr<Stream> rest, Attributes& attrs) {
  static std::once_flag once;
  std::call_once(once, [] { av_log_set_callback(&CaptureLog); });
  t_av_message.clear();

  RandomAccess input(object, head, std::move(rest));
  Demuxer d;
  constexpr int kBuffer = 64 * 1024;
  auto* buffer = static_cast<unsigned char*>(av_malloc(kBuffer));
  d.io = buffer != nullptr
             ? avio_alloc_context(buffer, kBuffer, 0, &input, &ReadPacket, nullptr, &SeekPacket)
             : nullptr;
  if (d.io == nullptr) av_free(buffer);
  d.fmt = d.io != nullptr ? avformat_alloc_context() : nullptr;
  if (d.fmt == nullptr) {
    attrs.AddError("media", "out of memory");
    return;
  }
  d.fmt->pb = d.io;
  d.fmt->flags |= AVFMT_FLAG_CUSTOM_IO;
  d.fmt->probesize = 1 << 20;
  d.fmt->max_analyze_duration = AV_TIME_BASE / 2;
  int rc = avformat_open_input(&d.fmt, nullptr, nullptr, nullptr);
  input.RethrowIfFailed();
  if (rc < 0) {  // avformat_open_input freed fmt
    attrs.AddError("media", AvError(rc));
    return;
  }
  if (NeedsStreamInfo(d.fmt)) {
    rc = avformat_find_stream_info(d.fmt, nullptr);
    input.RethrowIfFailed();
    if (rc < 0) attrs.AddError("media", AvError(rc));
  }
  attrs.Set("format", ContainerName(d.fmt->iformat->name, format_hint));
  double duration = 0;
  if (d.fmt->duration != AV_NOPTS_VALUE && d.fmt->duration > 0) {
    duration = static_cast<double>(d.fmt->duration) / AV_TIME_BASE;
    attrs.Set("duration_s", duration);
  }
  if (d.fmt->bit_rate > 0) {
    attrs.Set("bit_rate", static_cast<int64_t>(d.fmt->bit_rate));
  } else if (duration > 0) {
    attrs.Set("bit_rate", static_cast<int64_t>(static_cast<double>(object.size) * 8 / duration));
  }
  bool video = false;
  bool audio = false;
  for (unsigned i = 0; i < d.fmt->nb_streams; ++i) {
    const AVStream* st = d.fmt->streams[i];
    const AVCodecParameters* p = st->codecpar;
    if (p->codec_type == AVMEDIA_TYPE_VIDEO && !video &&
        (st->disposition & AV_DISPOSITION_ATTACHED_PIC) == 0) {
      video = true;
      attrs.Set("video.codec", avcodec_get_name(p->codec_id));
      if (p->width > 0) attrs.Set("width", int64_t{p->width});
      if (p->height > 0) attrs.Set("height", int64_t{p->height});
      AVRational rate = st->avg_frame_rate.num > 0 ? st->avg_frame_rate : st->r_frame_rate;
      if (rate.num > 0 && rate.den > 0) attrs.Set("fps", av_q2d(rate));
    } else if (p->codec_type == AVMEDIA_TYPE_AUDIO && !audio) {
      audio = true;
      attrs.Set("audio.codec", avcodec_get_name(p->codec_id));
      if (p->sample_rate > 0) attrs.Set("audio.sample_rate", int64_t{p->sample_rate});
      if (p->ch_layout.nb_channels > 0) {
        attrs.Set("audio.channels", int64_t{p->ch_layout.nb_channels});
      }
    }
  }
}

}  // namespace kumo::metadata
