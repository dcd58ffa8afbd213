// The signature checks of PSA change notices (ConnectWise callbacks, Autotask webhooks): a good
// signature passes, and a tampered body, a wrong key and a missing header are refused. Expected
// signatures were computed independently (Python's hmac/hashlib) and are also produced by the
// emulators' own signers.
#include <gtest/gtest.h>

#include "psa/autotask/webhooks.h"
#include "psa/connectwise/callbacks.h"
#include "sim/connectwise/callbacks.h"

using namespace cairn;

namespace {

const std::string kCwBody = R"({"Action":"updated","Type":"company","ID":42})";
const std::string kCwKey = "signing-key-1";
const std::string kCwSignature = "5A09KeqQBitl+WPTSN+Jig3/O/BoN2JSJ3nA1aw46xw=";  // Python, independently

// Autotask escapes & as \u0026 before signing: the check is over the raw bytes as received.
const std::string kAtBody = R"({"Action":"Update","EntityType":"Company","Id":42,"Fields":{"companyName":"A \u0026 B"}})";
const std::string kAtSecret = "webhook-secret";
const std::string kAtSignature = "sha1=omA/7aFnNFMatMUC+09TJclcT/E=";  // Python, independently

}  // namespace

TEST(ConnectWiseCallbackSignature, GoodSignaturePasses) {
  EXPECT_TRUE(psa::connectwise::callback_signature_ok(kCwKey, kCwBody, kCwSignature));
  // The emulator signs the same way.
  EXPECT_EQ(sim::connectwise::callback_signature(kCwKey, kCwBody), kCwSignature);
}

TEST(ConnectWiseCallbackSignature, TamperedBodyWrongKeyAndMissingHeaderAreRefused) {
  EXPECT_FALSE(psa::connectwise::callback_signature_ok(kCwKey, R"({"Action":"updated","Type":"company","ID":43})", kCwSignature));
  EXPECT_FALSE(psa::connectwise::callback_signature_ok(kCwKey, kCwBody + " ", kCwSignature));
  EXPECT_FALSE(psa::connectwise::callback_signature_ok("signing-key-2", kCwBody, kCwSignature));
  EXPECT_FALSE(psa::connectwise::callback_signature_ok(kCwKey, kCwBody, ""));
  EXPECT_FALSE(psa::connectwise::callback_signature_ok("", kCwBody, kCwSignature));
  // The key itself is not the HMAC key: ConnectWise hashes it first.
  EXPECT_FALSE(psa::connectwise::callback_signature_ok(kCwKey, kCwBody, "sha256=" + kCwSignature));
}

TEST(ConnectWiseCallbackSignature, SigningKeysAreFetchedOnceThenCachedAndAForgeryCannotForceARefetch) {
  psa::connectwise::SigningKeys keys(std::chrono::seconds(3600));
  int fetches = 0;
  auto fetch = [&](const std::string& url) {
    ++fetches;
    EXPECT_EQ(url, "https://cw.example/v2025_1//system/callbackkey/index.rails?id=7");
    return kCwKey;
  };
  const std::string url = "https://cw.example/v2025_1//system/callbackkey/index.rails?id=7";
  EXPECT_TRUE(keys.verify(url, kCwBody, kCwSignature, fetch));
  EXPECT_TRUE(keys.verify(url, kCwBody, kCwSignature, fetch));
  EXPECT_FALSE(keys.verify(url, kCwBody + " ", kCwSignature, fetch));
  EXPECT_FALSE(keys.verify(url, kCwBody, "", fetch));
  EXPECT_EQ(fetches, 1);
}

TEST(ConnectWiseCallbackSignature, KeyUrlMustBeOnTheIntegrationsSite) {
  EXPECT_TRUE(psa::connectwise::key_url_belongs_to("https://na.myconnectwise.net/v2025_1//system/callbackkey/index.rails?id=1",
                                                   "https://na.myconnectwise.net"));
  EXPECT_TRUE(psa::connectwise::key_url_belongs_to("http://127.0.0.1:8443/v1//k", "http://127.0.0.1:8443/"));
  EXPECT_FALSE(psa::connectwise::key_url_belongs_to("https://evil.example/na.myconnectwise.net/k", "https://na.myconnectwise.net"));
  EXPECT_FALSE(psa::connectwise::key_url_belongs_to("https://na.myconnectwise.net.evil.example/k", "https://na.myconnectwise.net"));
  EXPECT_FALSE(psa::connectwise::key_url_belongs_to("http://na.myconnectwise.net/k", "https://na.myconnectwise.net"));
  EXPECT_FALSE(psa::connectwise::key_url_belongs_to("http://127.0.0.1:9999/k", "http://127.0.0.1:8443"));
}

TEST(ConnectWiseCallbackPayload, NamesTheRecordOrSaysWhyNot) {
  auto cb = psa::connectwise::parse_callback(
      R"({"Action":"deleted","Type":"contact","ID":57961,"Entity":null,"Metadata":{"key_url":"https://x/k"}})");
  ASSERT_TRUE(cb.ok());
  ASSERT_TRUE(cb->notice.record);
  EXPECT_EQ(cb->notice.record->entity, core::SyncEntity::Contact);
  EXPECT_EQ(cb->notice.record->psa_id, "57961");
  EXPECT_EQ(cb->notice.record->action, "deleted");
  EXPECT_EQ(cb->key_url, "https://x/k");
  auto ticket = psa::connectwise::parse_callback(R"({"Action":"added","Type":"ticket","ID":5,"Metadata":{"key_url":"https://x/k"}})");
  ASSERT_TRUE(ticket.ok());
  EXPECT_FALSE(ticket->notice.record);
  EXPECT_NE(ticket->notice.ignored.find("ticket"), std::string::npos);
  EXPECT_FALSE(psa::connectwise::parse_callback("not json").ok());
  EXPECT_FALSE(psa::connectwise::parse_callback(R"({"Action":"added","Type":"company","ID":5})").ok());  // no key_url
  EXPECT_FALSE(psa::connectwise::parse_callback(R"({"Action":"moved","Type":"company","ID":5,"Metadata":{"key_url":"k"}})").ok());
}

TEST(AutotaskWebhookSignature, GoodSignaturePasses) {
  EXPECT_TRUE(psa::autotask::webhook_signature_ok(kAtSecret, kAtBody, kAtSignature));
}

TEST(AutotaskWebhookSignature, TamperedBodyWrongKeyAndMissingHeaderAreRefused) {
  // The same JSON with & unescaped is another body: Autotask signed the escaped bytes.
  EXPECT_FALSE(psa::autotask::webhook_signature_ok(
      kAtSecret, R"({"Action":"Update","EntityType":"Company","Id":42,"Fields":{"companyName":"A & B"}})", kAtSignature));
  EXPECT_FALSE(psa::autotask::webhook_signature_ok(kAtSecret, kAtBody + "\n", kAtSignature));
  EXPECT_FALSE(psa::autotask::webhook_signature_ok("another-secret", kAtBody, kAtSignature));
  EXPECT_FALSE(psa::autotask::webhook_signature_ok(kAtSecret, kAtBody, ""));
  EXPECT_FALSE(psa::autotask::webhook_signature_ok(kAtSecret, kAtBody, kAtSignature.substr(5)));  // without "sha1="
  EXPECT_FALSE(psa::autotask::webhook_signature_ok("", kAtBody, kAtSignature));
}

TEST(AutotaskWebhookPayload, NamesTheRecordOrSaysWhyNot) {
  auto n = psa::autotask::parse_webhook(kAtBody);
  ASSERT_TRUE(n.ok());
  ASSERT_TRUE(n->record);
  EXPECT_EQ(n->record->entity, core::SyncEntity::Organization);
  EXPECT_EQ(n->record->psa_id, "42");
  auto ci = psa::autotask::parse_webhook(R"({"Action":"Delete","EntityType":"ConfigurationItem","Id":7,"Fields":{}})");
  ASSERT_TRUE(ci.ok());
  ASSERT_TRUE(ci->record);
  EXPECT_EQ(ci->record->entity, core::SyncEntity::Configuration);
  auto off = psa::autotask::parse_webhook(R"({"Action":"Deactivated","Guid":"g"})");
  ASSERT_TRUE(off.ok());
  EXPECT_FALSE(off->record);
  EXPECT_FALSE(off->ignored.empty());
  auto ticket = psa::autotask::parse_webhook(R"({"Action":"Create","EntityType":"Ticket","Id":9})");
  ASSERT_TRUE(ticket.ok());
  EXPECT_FALSE(ticket->record);
  EXPECT_FALSE(psa::autotask::parse_webhook(R"({"Action":"Update","EntityType":"Company"})").ok());
  EXPECT_FALSE(psa::autotask::parse_webhook("[]").ok());
}
