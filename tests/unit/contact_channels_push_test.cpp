// R16: a contact's primary email and phone pushed with the PSA types of the two-way settings,
// as ConnectWise communication items and Autotask's fixed slots; and the ConnectWise operations
// that change only the contact's default item of a kind.
#include <gtest/gtest.h>

#include "psa/autotask/mapping.h"
#include "psa/connectwise/communication_items.h"
#include "psa/connectwise/mapping.h"
#include "psa/push_codec.h"

using namespace cairn;
using core::SyncEntity;
using nlohmann::json;

namespace {

// Rows as sync/push_changes makes them: an email [value, type, primary], a phone
// [value, extension, type, kind, primary].
core::PsaRecord contact_with(const std::string& email, const std::string& email_type, const std::string& phone,
                             const std::string& extension, const std::string& phone_type) {
  core::PsaRecord r;
  r.entity = SyncEntity::Contact;
  r.fields["first_name"] = core::Value("Jane");
  if (!email.empty()) r.fields["contact_emails"] = core::Value(core::Rows{{core::Value(email), core::Value(email_type), core::Value(true)}});
  if (!phone.empty())
    r.fields["contact_phones"] = core::Value(core::Rows{{core::Value(phone), extension.empty() ? core::Value() : core::Value(extension),
                                                         core::Value(phone_type), core::Value("phone"), core::Value(true)}});
  return r;
}

}  // namespace

TEST(ContactChannelsPush, R16_ConnectWiseGetsCommunicationItemsOfTheChosenTypes) {
  auto enc = psa::encode(psa::connectwise::mapping(), contact_with("jane@example.com", "Email", "+15550100", "12", "Direct"));
  EXPECT_TRUE(enc.skipped.empty());
  EXPECT_EQ(enc.members["firstName"], "Jane");
  EXPECT_EQ(enc.members["communicationItems"],
            json::parse(R"([{"type":{"name":"Email"},"value":"jane@example.com","defaultFlag":true,"communicationType":"Email"},
                            {"type":{"name":"Direct"},"value":"+15550100","defaultFlag":true,"communicationType":"Phone","extension":"12"}])"));
}

TEST(ContactChannelsPush, R16_AutotaskWritesTheSlotNamedByTheType) {
  auto work = psa::encode(psa::autotask::mapping(), contact_with("jane@example.com", "Work", "+15550100", "12", "Work"));
  EXPECT_TRUE(work.skipped.empty());
  EXPECT_EQ(work.members, json({{"firstName", "Jane"}, {"emailAddress", "jane@example.com"}, {"phone", "+15550100"},
                                {"extension", "12"}}));
  auto mobile = psa::encode(psa::autotask::mapping(), contact_with("", "", "+15550199", "", "Mobile"));
  EXPECT_EQ(mobile.members, json({{"firstName", "Jane"}, {"mobilePhone", "+15550199"}}));
  // A type Autotask has no slot of: its first slot of that kind.
  auto other = psa::encode(psa::autotask::mapping(), contact_with("j@example.com", "Office", "+15550111", "", "Direct"));
  EXPECT_EQ(other.members, json({{"firstName", "Jane"}, {"emailAddress", "j@example.com"}, {"phone", "+15550111"},
                                 {"extension", nullptr}}));
}

TEST(ContactChannelsPush, ConnectWise_OnlyTheDefaultItemOfAKindChanges) {
  const json current = json::parse(R"([
    {"id":1,"type":{"id":2,"name":"Direct"},"value":"+15550100","extension":"12","defaultFlag":true,"communicationType":"Phone"},
    {"id":2,"type":{"id":1,"name":"Email"},"value":"old@example.com","defaultFlag":true,"communicationType":"Email"},
    {"id":3,"type":{"id":5,"name":"Fax"},"value":"+15550999","defaultFlag":true,"communicationType":"Fax"}])");
  const json new_email = json::parse(R"([{"type":{"id":1},"value":"new@example.com","defaultFlag":true,"communicationType":"Email"}])");
  EXPECT_EQ(psa::connectwise::communication_operations(current, new_email),
            json::parse(R"([{"op":"replace","path":"/communicationItems/1/value","value":"new@example.com"}])"));
  // The same values: nothing to send.
  const json same_phone = json::parse(R"([{"type":{"id":2},"value":"+15550100","extension":"12","defaultFlag":true,"communicationType":"Phone"}])");
  EXPECT_TRUE(psa::connectwise::communication_operations(current, same_phone).empty());
  // An extension dropped in Cairn is cleared.
  const json no_ext = json::parse(R"([{"type":{"id":2},"value":"+15550100","defaultFlag":true,"communicationType":"Phone"}])");
  EXPECT_EQ(psa::connectwise::communication_operations(current, no_ext),
            json::parse(R"([{"op":"replace","path":"/communicationItems/0/extension","value":""}])"));
  // A contact with no item of the kind gets one added.
  EXPECT_EQ(psa::connectwise::communication_operations(json::array(), new_email),
            json::parse(R"([{"op":"add","path":"/communicationItems/-","value":{"type":{"id":1},"value":"new@example.com","defaultFlag":true,"communicationType":"Email"}}])"));
}
