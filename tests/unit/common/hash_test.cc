#include "common/hash.h"

#include <gtest/gtest.h>

namespace kumo {
namespace {

TEST(HexTest, EncodeDecodeRoundTrip) {
  std::string bytes("\x00\x01\x7f\x80\xff", 5);
  EXPECT_EQ(HexEncode(bytes), "00017f80ff");
  std::string back;
  ASSERT_TRUE(HexDecode("00017F80fF", &back));
  EXPECT_EQ(back, bytes);
  ASSERT_TRUE(HexDecode("", &back));
  EXPECT_EQ(back, "");
}

TEST(HexTest, DecodeRejectsOddLengthAndNonHex) {
  std::string out;
  EXPECT_FALSE(HexDecode("abc", &out));
  EXPECT_FALSE(HexDecode("zz", &out));
  EXPECT_FALSE(HexDecode("0g", &out));
}

TEST(Base64Test, EncodeRfc4648Vectors) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64Encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
}

TEST(Base64Test, DecodeRoundTripsAndStripsPadding) {
  for (std::string s : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
    std::string out;
    ASSERT_TRUE(Base64Decode(Base64Encode(s), &out)) << s;
    EXPECT_EQ(out, s);
  }
  std::string binary("\x00\xff\x00", 3), out;
  ASSERT_TRUE(Base64Decode(Base64Encode(binary), &out));
  EXPECT_EQ(out, binary);
}

TEST(Base64Test, DecodeRejectsMalformed) {
  std::string out;
  EXPECT_FALSE(Base64Decode("Zg=", &out));
  EXPECT_FALSE(Base64Decode("Z", &out));
  EXPECT_FALSE(Base64Decode("Zm9!", &out));
  EXPECT_FALSE(Base64Decode("Zg==Zg==", &out));
  EXPECT_FALSE(Base64Decode("====", &out));
  EXPECT_FALSE(Base64Decode("Z===", &out));
  EXPECT_FALSE(Base64Decode("Zg=A", &out));
  EXPECT_FALSE(Base64Decode(" Zg=", &out));
  EXPECT_FALSE(Base64Decode("Zm9v\nYmFy", &out));
}

TEST(DigestTest, KnownVectors) {
  EXPECT_EQ(HexEncode(Md5("")), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(HexEncode(Md5("abc")), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // RFC 4231 test case 2.
  EXPECT_EQ(HexEncode(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(HexEncode(HmacSha256("", "")),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST(HasherTest, IncrementalMatchesOneShotAndResets) {
  Hasher h(Hasher::Algorithm::kSha256);
  h.Update("a");
  h.Update("");
  h.Update("bc");
  EXPECT_EQ(HexEncode(h.Finish()), Sha256Hex("abc"));
  EXPECT_EQ(HexEncode(h.Finish()), Sha256Hex(""));  // reset after Finish
  Hasher md5(Hasher::Algorithm::kMd5);
  EXPECT_EQ(HexEncode(md5.Finish()), "d41d8cd98f00b204e9800998ecf8427e");
  Hasher sha1(Hasher::Algorithm::kSha1);
  sha1.Update("abc");
  EXPECT_EQ(HexEncode(sha1.Finish()), "a9993e364706816aba3e25717850c26c9cd0d89d");
  Hasher moved = std::move(h);
  moved.Update("abc");
  EXPECT_EQ(HexEncode(moved.Finish()), Sha256Hex("abc"));
}

TEST(ConstantTimeEqualsTest, ComparesContentAndLength) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "ab"));
}

}  // namespace
}  // namespace kumo
