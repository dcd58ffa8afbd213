#include "sim/connectwise/callbacks.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "sim/crypto.h"

namespace cairn::sim::connectwise {

bool callback_wants(const Callback& cb, const Change& change) {
  if (cb.inactive_flag || cb.type != change.type) return false;
  if (cb.is_self_suppressed_flag && change.by_api_member) return false;
  if (cb.level == "owner") return true;
  if (cb.level == "company") return change.company_id == cb.object_id;
  if (change.type != "company") return false;
  if (cb.level == "status") return change.company_status_id == cb.object_id;
  if (cb.level == "type")
    return std::find(change.company_type_ids.begin(), change.company_type_ids.end(), cb.object_id) !=
           change.company_type_ids.end();
  return false;  // territory, integratorTag: the emulator keeps neither
}

std::string callback_payload(const Callback& cb, const Change& change, const PayloadContext& ctx,
                             const std::string& message_id) {
  nlohmann::json j = {
      {"MessageId", message_id},
      {"FromUrl", ctx.from_url},
      {"CompanyId", ctx.company_id},
      {"MemberId", ctx.member_identifier},
      {"Action", change.action},
      {"Type", change.type},
      {"ID", change.id},
      {"ProductInstanceId", ""},
      {"PartnerId", ""},
      {"Entity", change.entity_json.empty() ? nlohmann::json(nullptr) : nlohmann::json(change.entity_json)},
      {"Metadata", {{"key_url", ctx.key_url}}},
      {"CallbackObjectRecId", cb.id},
  };
  return j.dump();
}

std::string callback_signature(const std::string& signing_key, const std::string& body) {
  return base64(hmac_sha256(sha256(signing_key), body));
}

}  // namespace cairn::sim::connectwise
