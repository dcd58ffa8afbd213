// The master key and sealed credentials (D24): round trips, wrong keys and bad key text refused.
#include <gtest/gtest.h>

#include <string>

#include "store/secrets.h"

using cairn::store::Dialect;
using cairn::store::MasterKey;

namespace {

const std::string kHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
// The same 32 bytes in base64.
const std::string kBase64 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

TEST(MasterKey, EncryptThenDecrypt_GivesThePlainTextBack) {
  auto key = MasterKey::generate();
  const std::string plain = R"({"private_key":"s3cr3t","public_key":"pub"})";
  auto sealed = key.encrypt(plain);
  EXPECT_EQ(sealed.rfind("v1:", 0), 0u) << sealed;
  EXPECT_EQ(sealed.find("s3cr3t"), std::string::npos);
  auto back = key.decrypt(sealed);
  ASSERT_TRUE(back) << back.error().detail;
  EXPECT_EQ(back.value(), plain);
}

TEST(MasterKey, EveryValueGetsAFreshNonce) {
  auto key = MasterKey::generate();
  EXPECT_NE(key.encrypt("same"), key.encrypt("same"));
}

TEST(MasterKey, EmptyValueRoundTrips) {
  auto key = MasterKey::generate();
  auto back = key.decrypt(key.encrypt(""));
  ASSERT_TRUE(back);
  EXPECT_EQ(back.value(), "");
}

TEST(MasterKey, WrongKey_IsRefusedWithAClearMessageNeverGarbage) {
  auto a = MasterKey::generate();
  auto b = MasterKey::generate();
  auto out = b.decrypt(a.encrypt("secret"));
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().detail, "credentials cannot be decrypted: wrong CAIRN_MASTER_KEY?");
}

TEST(MasterKey, TamperedOrMalformedValues_AreRefused) {
  auto key = MasterKey::generate();
  std::string sealed = key.encrypt("secret");
  std::string tampered = sealed;
  tampered[10] = tampered[10] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(key.decrypt(tampered));
  EXPECT_FALSE(key.decrypt("secret"));         // plain text, not sealed
  EXPECT_FALSE(key.decrypt("v1:"));            // too short to hold a nonce and a MAC
  EXPECT_FALSE(key.decrypt("v1:!!notbase64"));
  EXPECT_FALSE(key.decrypt("v2:" + sealed.substr(3)));
}

TEST(MasterKey, HexAndBase64OfTheSameBytes_AreTheSameKey) {
  auto hex = MasterKey::parse(kHex);
  auto b64 = MasterKey::parse(kBase64);
  auto b64_unpadded = MasterKey::parse(kBase64.substr(0, kBase64.size() - 1));
  auto with_newline = MasterKey::parse(kHex + "\n");
  ASSERT_TRUE(hex);
  ASSERT_TRUE(b64);
  ASSERT_TRUE(b64_unpadded);
  ASSERT_TRUE(with_newline);
  EXPECT_EQ(hex->hex(), kHex);
  EXPECT_EQ(b64->hex(), kHex);
  EXPECT_EQ(b64_unpadded->hex(), kHex);
  EXPECT_EQ(with_newline->hex(), kHex);
  auto back = b64->decrypt(hex->encrypt("x"));
  ASSERT_TRUE(back);
  EXPECT_EQ(back.value(), "x");
}

TEST(MasterKey, BadKeyText_IsRefusedWithoutRepeatingIt) {
  for (const std::string& bad : {std::string("short"), kHex.substr(2), kHex + "00", std::string(64, 'g'),
                                std::string("c2hvcnQ="), std::string("correct horse battery staple and more words")}) {
    auto k = MasterKey::parse(bad);
    ASSERT_FALSE(k) << bad;
    EXPECT_NE(k.error().detail.find("64 hex characters or the base64 of 32 bytes"), std::string::npos);
    EXPECT_EQ(k.error().detail.find(bad), std::string::npos) << "the error repeats the key text";
  }
}

TEST(MasterKey, EnvironmentWins_AndABadOneIsAnError) {
  auto k = cairn::store::load_master_key(kHex, Dialect::Sqlite, "/nonexistent/dir/cairn.db");
  ASSERT_TRUE(k) << k.error().detail;
  EXPECT_EQ(k->hex(), kHex);
  auto bad = cairn::store::load_master_key(std::string("nope"), Dialect::Postgres, "");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().detail.find("CAIRN_MASTER_KEY must be"), std::string::npos);
}

TEST(MasterKey, PostgresWithoutTheEnvironment_TellsTheOperatorToSetIt) {
  auto k = cairn::store::load_master_key(std::nullopt, Dialect::Postgres, "");
  ASSERT_FALSE(k);
  EXPECT_NE(k.error().detail.find("set CAIRN_MASTER_KEY"), std::string::npos) << k.error().detail;
  auto empty = cairn::store::load_master_key(std::string(), Dialect::Postgres, "");
  EXPECT_FALSE(empty);  // set but empty counts as unset
}

TEST(MasterKey, InMemorySqliteWithoutTheEnvironment_HasNoPlaceForAKeyFile) {
  auto k = cairn::store::load_master_key(std::nullopt, Dialect::Sqlite, ":memory:");
  ASSERT_FALSE(k);
  EXPECT_NE(k.error().detail.find("set CAIRN_MASTER_KEY"), std::string::npos);
}

}  // namespace
