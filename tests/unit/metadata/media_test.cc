#include "media.h"

#include <gtest/gtest.h>

#include <cmath>

#include "attribute_values.h"
#include "fixtures.h"

namespace kumo::metadata {
namespace {

using testing::Int;
using testing::Num;
using testing::Str;

using testing::Ffmpeg;
using testing::MemoryObject;

const std::string& Mp4() {  // moov at the end (ffmpeg's default): needs seeking back
  static const std::string data = Ffmpeg(
      "-f lavfi -i testsrc=size=160x120:rate=25 -f lavfi -i sine=frequency=440:"
      "sample_rate=44100 -t 2 -c:v mpeg4 -c:a aac -shortest",
      "clip.mp4");
  return data;
}

TEST(MetadataMedia, Mp4FromMemory) {
  MemoryObject obj(Mp4());
  Attributes a;
  ReadMedia(obj.object(), Mp4(), "mp4", nullptr, a);  // the head is the whole file
  EXPECT_FALSE(a.Has("error")) << Str(a, "error");
  EXPECT_EQ(Str(a, "format"), "mp4");
  EXPECT_EQ(Str(a, "video.codec"), "mpeg4");
  EXPECT_EQ(Str(a, "audio.codec"), "aac");
  EXPECT_EQ(Int(a, "width"), 160);
  EXPECT_EQ(Int(a, "height"), 120);
  EXPECT_NEAR(Num(a, "fps"), 25, 0.01);
  EXPECT_NEAR(Num(a, "duration_s"), 2, 0.1);
  EXPECT_GT(Int(a, "bit_rate"), 0);
  EXPECT_EQ(Int(a, "audio.sample_rate"), 44100);
  EXPECT_EQ(obj.opens(), 0);
}

TEST(MetadataMedia, Mp4WithMoovAfterTheHeadReopens) {
  MemoryObject obj(Mp4());
  std::string head = Mp4().substr(0, 4096);
  Attributes a;
  ReadMedia(obj.object(), head, "mp4", nullptr, a);
  EXPECT_FALSE(a.Has("error")) << Str(a, "error");
  EXPECT_EQ(Int(a, "width"), 160);
  EXPECT_NEAR(Num(a, "duration_s"), 2, 0.1);
  EXPECT_GE(obj.opens(), 1);
  EXPECT_LE(obj.opens(), 16);
}

TEST(MetadataMedia, Wav) {
  std::string wav =
      Ffmpeg("-f lavfi -i sine=frequency=440:sample_rate=8000 -t 1.5 -c:a pcm_s16le", "tone.wav");
  MemoryObject obj(wav);
  Attributes a;
  ReadMedia(obj.object(), wav.substr(0, 1024), "wav", nullptr, a);
  EXPECT_FALSE(a.Has("error")) << Str(a, "error");
  EXPECT_EQ(Str(a, "format"), "wav");
  EXPECT_EQ(Str(a, "audio.codec"), "pcm_s16le");
  EXPECT_EQ(Int(a, "audio.sample_rate"), 8000);
  EXPECT_EQ(Int(a, "audio.channels"), 1);
  EXPECT_NEAR(Num(a, "duration_s"), 1.5, 0.05);
  EXPECT_NEAR(Int(a, "bit_rate"), 128000, 1000);  // PCM, plus the header
  EXPECT_FALSE(a.Has("video.codec"));
}

TEST(MetadataMedia, GarbageAddsAMediaError) {
  std::string junk(5000, '\x42');
  MemoryObject obj(junk);
  Attributes a;
  ReadMedia(obj.object(), junk, "", nullptr, a);
  EXPECT_EQ(Str(a, "error").rfind("media: ", 0), 0u) << Str(a, "error");
}

}  // namespace
}  // namespace kumo::metadata
