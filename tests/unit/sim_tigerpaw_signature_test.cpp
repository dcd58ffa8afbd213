// Tigerpaw's TSI signature: RFC 1123 timestamps, the string to sign, the HMAC-SHA256 signature and
// Authorization header (checked against an independent computation), and every refusal.
#include <gtest/gtest.h>

#include "sim/crypto.h"
#include "sim/tigerpaw/tsi_signature.h"

using namespace cairn::sim;
using namespace cairn::sim::tigerpaw;

namespace {
constexpr Timestamp kThu = 1434612343;  // Thu, 18 Jun 2015 07:25:43 GMT
constexpr const char* kStamp = "Thu, 18 Jun 2015 07:25:43 GMT";
constexpr const char* kPublic = "0f8fad5b-d9cb-469f-a165-70867728950e";
constexpr const char* kPrivate = "MyPrivateKey";

std::string header_for(const std::string& method, const std::string& path, const std::string& stamp,
                       const std::string& priv = kPrivate, const std::string& pub = kPublic) {
  return tsi_authorization(pub, tsi_signature(priv, method, path, stamp));
}
}  // namespace

TEST(TigerpawRfc1123, FormatsAndParsesTheDocumentedExample) {
  EXPECT_EQ(format_rfc1123(kThu), kStamp);
  EXPECT_EQ(parse_rfc1123(kStamp), kThu);
  EXPECT_EQ(format_rfc1123(0), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(format_rfc1123(951782400), "Tue, 29 Feb 2000 00:00:00 GMT");
  EXPECT_EQ(parse_rfc1123("29 Feb 2000 00:00:00 UTC"), 951782400);  // weekday optional
  EXPECT_EQ(parse_rfc1123("thu, 18 jun 2015 07:25:43 gmt"), kThu);
  for (Timestamp t : {Timestamp{1}, Timestamp{86399}, Timestamp{1767225600}, Timestamp{4102444799}})
    EXPECT_EQ(parse_rfc1123(format_rfc1123(t)), t) << t;
}

TEST(TigerpawRfc1123, RejectsOtherForms) {
  for (const char* bad : {"", "2015-06-18T07:25:43Z", "Thu, 18 Jun 2015 07:25:43", "Thu, 18 Foo 2015 07:25:43 GMT",
                          "Thu, 32 Jun 2015 07:25:43 GMT", "Thu, 18 Jun 2015 25:25:43 GMT", "Xyz, 18 Jun 2015 07:25:43 GMT",
                          "Thu, 18 Jun 15 07:25:43 GMT", "Thu, 18 Jun 2015 07:25:43 EST"})
    EXPECT_FALSE(parse_rfc1123(bad).has_value()) << bad;
}

TEST(TigerpawSignature, StringToSignIsLowercasedMethodPathAndTimestamp) {
  EXPECT_EQ(tsi_string_to_sign("GET", "/api/Accounts/1052932", kStamp),
            "get|/api/accounts/1052932|thu, 18 jun 2015 07:25:43 gmt");
}

TEST(TigerpawSignature, MatchesAnIndependentHmacSha256) {
  // Computed with Python's hmac/hashlib/base64 from the same inputs.
  const std::string sig = tsi_signature(kPrivate, "GET", "/api/accounts/1052932", kStamp);
  EXPECT_EQ(sig, "eZnJQv9BeWKv45UaTIJvJciUMO2eYl+SLYrCGk+UA5A=");
  EXPECT_EQ(sig.size(), 44u);
  EXPECT_EQ(tsi_authorization(kPublic, sig),
            "TSI MGY4ZmFkNWItZDljYi00NjlmLWExNjUtNzA4Njc3Mjg5NTBlOmVabkpRdjlCZVdLdjQ1VWFUSUp2SmNpVU1PMmVZbCtTTFlyQ0drK1VBNUE9");
}

TEST(TigerpawSignature, VerifyAcceptsAFreshSignedRequestAndPrefersXTsiDate) {
  const TsiKeys keys{kPublic, kPrivate};
  const std::string h = header_for("POST", "/api/accounts/search", kStamp);
  EXPECT_EQ(verify_tsi({"POST", "/api/accounts/search", h, kStamp, ""}, keys, kThu + 10, 300), TsiVerdict::Ok);
  // Date is used when X-TSI-Date is absent; X-TSI-Date wins when both are there.
  EXPECT_EQ(verify_tsi({"POST", "/api/accounts/search", h, "", kStamp}, keys, kThu, 300), TsiVerdict::Ok);
  EXPECT_EQ(verify_tsi({"POST", "/api/accounts/search", h, kStamp, "Fri, 19 Jun 2015 07:25:43 GMT"}, keys, kThu, 300),
            TsiVerdict::Ok);
  // The path compares ignoring case (it is lowercased before signing).
  EXPECT_EQ(verify_tsi({"POST", "/API/Accounts/Search", h, kStamp, ""}, keys, kThu, 300), TsiVerdict::Ok);
}

TEST(TigerpawSignature, VerifyRefusesEachWayARequestCanBeWrong) {
  const TsiKeys keys{kPublic, kPrivate};
  const std::string path = "/api/contacts/7";
  const std::string good = header_for("GET", path, kStamp);
  auto verdict = [&](const std::string& auth, const std::string& stamp, Timestamp now, const std::string& method = "GET",
                     const std::string& p = "/api/contacts/7") {
    return verify_tsi({method, p, auth, stamp, ""}, keys, now, 300);
  };
  EXPECT_EQ(verdict("", kStamp, kThu), TsiVerdict::NoHeader);
  EXPECT_EQ(verdict("Basic abc", kStamp, kThu), TsiVerdict::NoHeader);
  EXPECT_EQ(verdict("TSI !!!not-base64", kStamp, kThu), TsiVerdict::Malformed);
  EXPECT_EQ(verdict("TSI " + base64("no-colon-here"), kStamp, kThu), TsiVerdict::Malformed);
  EXPECT_EQ(verdict(header_for("GET", path, kStamp, kPrivate, "11111111-2222-3333-4444-555555555555"), kStamp, kThu),
            TsiVerdict::UnknownKey);
  EXPECT_EQ(verdict(good, "", kThu), TsiVerdict::NoDate);
  EXPECT_EQ(verdict(good, "2015-06-18T07:25:43Z", kThu), TsiVerdict::BadDate);
  EXPECT_EQ(verdict(good, kStamp, kThu + 301), TsiVerdict::StaleDate);
  EXPECT_EQ(verdict(good, kStamp, kThu - 301), TsiVerdict::StaleDate);  // from the future
  EXPECT_EQ(verdict(good, kStamp, kThu + 300), TsiVerdict::Ok);
  EXPECT_EQ(verdict(header_for("GET", path, kStamp, "WrongKey"), kStamp, kThu), TsiVerdict::BadSignature);
  EXPECT_EQ(verdict(good, kStamp, kThu, "PUT"), TsiVerdict::BadSignature);              // method is signed
  EXPECT_EQ(verdict(good, kStamp, kThu, "GET", "/api/contacts/8"), TsiVerdict::BadSignature);  // path is signed
  // The signed timestamp is the one sent: another (fresh) date with the old signature fails.
  EXPECT_EQ(verdict(good, "Thu, 18 Jun 2015 07:25:44 GMT", kThu), TsiVerdict::BadSignature);
  EXPECT_EQ(to_string(TsiVerdict::StaleDate), "the date is outside the allowed clock skew");
}
