#pragma once
// ConnectWise callbacks (psa-apis.md §1.7): which registrations a change reaches, the payload
// ConnectWise POSTs, and its signature.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/connectwise/records.h"

namespace cairn::sim::connectwise {

// What changed, as callback levels need to see it.
struct Change {
  std::string type;    // callback type: company, contact, configuration
  std::string action;  // added, updated, deleted
  Id id = 0;
  Id company_id = 0;          // the record's company (the company itself for companies)
  Id company_status_id = 0;   // companies only
  std::vector<Id> company_type_ids;  // companies only
  std::string entity_json;    // the record as GET returns it; empty on delete (Entity is null)
  bool by_api_member = false; // made through the API with the keys (isSelfSuppressedFlag)
};

// True when registration cb should be told about change (type, level, objectId, inactive,
// self-suppression; assumptions.h A11, A12).
bool callback_wants(const Callback& cb, const Change& change);

struct PayloadContext {
  std::string from_url;   // the site's host (and port): "127.0.0.1:8443"
  std::string company_id; // the login company
  std::string member_identifier;  // the registering member
  std::string key_url;    // where the signing key is served
};

// The JSON body ConnectWise POSTs: MessageId, FromUrl, CompanyId, MemberId, Action, Type, ID,
// ProductInstanceId, PartnerId, Entity (the record as a JSON *string*, null on delete),
// Metadata.key_url, CallbackObjectRecId.
std::string callback_payload(const Callback& cb, const Change& change, const PayloadContext& ctx,
                             const std::string& message_id);

// base64(HMAC-SHA256(key = SHA256(signing_key), message = body)): the x-content-signature header.
std::string callback_signature(const std::string& signing_key, const std::string& body);

}  // namespace cairn::sim::connectwise
