// Audio and video with libavformat: the container is demuxed (never decoded, except the
// few packets avformat_find_stream_info needs when the header leaves a stream's codec
// or size unknown) through a custom AVIOContext over RandomAccess (source.h): the head
// from memory, the rest streamed, a seek backward by reopening the object. So an MP4
// whose moov box is at its end costs one streamed read of the object up to the moov.
// Thread-safe: libavformat's log is routed to the calling thread's capture.
#ifndef KUMO_FUNCTIONS_METADATA_MEDIA_H
#define KUMO_FUNCTIONS_METADATA_MEDIA_H

#include <memory>
#include <string_view>

#include "attributes.h"
#include "source.h"

namespace kumo::metadata {

// Sets `format` (the container: mp4, mov, wav, mkv, webm, ...; format_hint, from the
// sniffed MIME type, picks one of libavformat's names for a family like
// "mov,mp4,m4a,3gp"), `duration_s`, `bit_rate`, `video.codec`, `width`, `height`,
// `fps`, `audio.codec`, `audio.sample_rate`, `audio.channels`. A container libavformat
// cannot read adds a "media" error.
// rest, when not null, is a Stream of the object positioned at head.size(), read before
// any reopening.
void ReadMedia(const Object& object, std::string_view head, std::string_view format_hint,
               std::unique_ptr<Stream> rest, Attributes& attrs);

}  // namespace kumo::metadata

#endif  // KUMO_FUNCTIONS_METADATA_MEDIA_H
