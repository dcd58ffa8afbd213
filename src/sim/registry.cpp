#include "sim/registry.h"

#include "sim/autotask/emulator.h"
#include "sim/bms/emulator.h"
#include "sim/connectwise/emulator.h"
#include "sim/pulseway/emulator.h"
#include "sim/tigerpaw/kind.h"

#include <stdexcept>

namespace cairn::sim {

namespace {

std::string setting(const Settings& s, const std::string& name, const std::string& fallback) {
  auto it = s.find(name);
  return it == s.end() ? fallback : it->second;
}

EmulatorKind connectwise_kind() {
  const connectwise::Options d;
  EmulatorKind k;
  k.name = "connectwise";
  k.settings = {
      {"company-id", d.company_id, "ConnectWise: the login company id"},
      {"public-key", d.public_key, "ConnectWise: the API member's public key"},
      {"private-key", d.private_key, "ConnectWise: the API member's private key"},
      {"client-id", d.client_id, "ConnectWise: the clientId header every request must carry"},
      {"codebase", d.codebase, "ConnectWise: the codebase companyinfo answers (path prefix of the API)"},
  };
  k.make = [](World world, const Settings& s) -> std::unique_ptr<Emulator> {
    connectwise::Options o;
    o.company_id = setting(s, "company-id", o.company_id);
    o.public_key = setting(s, "public-key", o.public_key);
    o.private_key = setting(s, "private-key", o.private_key);
    o.client_id = setting(s, "client-id", o.client_id);
    o.codebase = setting(s, "codebase", o.codebase);
    return std::make_unique<connectwise::ConnectWiseEmulator>(std::move(world), std::move(o));
  };
  return k;
}

EmulatorKind autotask_kind() {
  const autotask::Options d;
  EmulatorKind k;
  k.name = "autotask";
  k.settings = {
      {"username", d.username, "Autotask: the API user's UserName header"},
      {"secret", d.secret, "Autotask: the API user's Secret header"},
      {"integration-code", d.integration_code, "Autotask: the ApiIntegrationCode header every request must carry"},
      {"hourly-request-limit", std::to_string(d.hourly_request_limit),
       "Autotask: requests per rolling 60 minutes before 429"},
      {"thread-limit", std::to_string(d.thread_limit), "Autotask: concurrent requests per endpoint"},
      {"threshold-latency-ms", std::to_string(d.threshold_latency_ms),
       "Autotask: delay at 100 % of the hourly budget (half of it from 50 %); 0 turns it off"},
  };
  k.make = [](World world, const Settings& s) -> std::unique_ptr<Emulator> {
    autotask::Options o;
    o.username = setting(s, "username", o.username);
    o.secret = setting(s, "secret", o.secret);
    o.integration_code = setting(s, "integration-code", o.integration_code);
    // Flags are validated as numbers here: a typo must not silently mean "no limit".
    auto number = [&](const std::string& name, int fallback) {
      const std::string v = setting(s, name, std::to_string(fallback));
      std::size_t used = 0;
      int n = 0;
      try {
        n = std::stoi(v, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (v.empty() || used != v.size() || n < 0) throw std::invalid_argument("--" + name + " must be a non-negative integer");
      return n;
    };
    o.hourly_request_limit = number("hourly-request-limit", o.hourly_request_limit);
    o.thread_limit = number("thread-limit", o.thread_limit);
    o.threshold_latency_ms = number("threshold-latency-ms", o.threshold_latency_ms);
    return std::make_unique<autotask::AutotaskEmulator>(std::move(world), std::move(o));
  };
  return k;
}

// Kaseya BMS and Pulseway PSA share the V2 platform's settings; `label` names the product in help.
EmulatorKind kaseya_v2_kind(const std::string& name, const std::string& label, const bms::Options& d,
                            std::function<std::unique_ptr<Emulator>(World, bms::Options)> build) {
  EmulatorKind k;
  k.name = name;
  k.settings = {
      {"username", d.username, label + ": UserName of /v2/security/authenticate"},
      {"password", d.password, label + ": Password of /v2/security/authenticate"},
      {"tenant", d.tenant, label + ": Tenant (company name) of /v2/security/authenticate"},
      {"hourly-request-limit", std::to_string(d.hourly_request_limit),
       label + ": calls per rolling 60 minutes per endpoint before 429"},
      {"max-page-size", std::to_string(d.max_page_size), label + ": default and largest PageSize"},
      {"token-lifetime-seconds", std::to_string(d.token_lifetime_seconds), label + ": access token lifetime"},
      {"refresh-lifetime-seconds", std::to_string(d.refresh_lifetime_seconds), label + ": refresh token lifetime"},
  };
  k.make = [d, build](World world, const Settings& s) -> std::unique_ptr<Emulator> {
    bms::Options o = d;
    o.username = setting(s, "username", o.username);
    o.password = setting(s, "password", o.password);
    o.tenant = setting(s, "tenant", o.tenant);
    // Validated as numbers here: a typo must not silently mean "no limit".
    auto number = [&](const std::string& flag, int fallback, int min) {
      const std::string v = setting(s, flag, std::to_string(fallback));
      std::size_t used = 0;
      int n = 0;
      try {
        n = std::stoi(v, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (v.empty() || used != v.size() || n < min)
        throw std::invalid_argument("--" + flag + " must be an integer of at least " + std::to_string(min));
      return n;
    };
    o.hourly_request_limit = number("hourly-request-limit", o.hourly_request_limit, 0);
    o.max_page_size = number("max-page-size", o.max_page_size, 1);
    o.token_lifetime_seconds = number("token-lifetime-seconds", o.token_lifetime_seconds, 1);
    o.refresh_lifetime_seconds = number("refresh-lifetime-seconds", o.refresh_lifetime_seconds, 1);
    return build(std::move(world), std::move(o));
  };
  return k;
}

EmulatorKind bms_kind() {
  return kaseya_v2_kind("bms", "Kaseya BMS", bms::Options{}, [](World w, bms::Options o) -> std::unique_ptr<Emulator> {
    return std::make_unique<bms::BmsEmulator>(std::move(w), std::move(o));
  });
}

EmulatorKind pulseway_kind() {
  return kaseya_v2_kind("pulseway", "Pulseway PSA", pulseway::default_options(),
                        [](World w, bms::Options o) -> std::unique_ptr<Emulator> {
                          return std::make_unique<pulseway::PulsewayEmulator>(std::move(w), std::move(o));
                        });
}

}  // namespace

const std::vector<EmulatorKind>& emulator_kinds() {
  static const std::vector<EmulatorKind> kinds = {
      connectwise_kind(),
      autotask_kind(),
      bms_kind(),
      pulseway_kind(),
      tigerpaw::tigerpaw_kind(),
  };
  return kinds;
}

std::variant<std::unique_ptr<Emulator>, std::string> make_emulator(const std::string& kind, World world,
                                                                   const Settings& settings) {
  std::string names;
  for (const auto& k : emulator_kinds()) {
    if (k.name == kind) {
      if (!k.make) return "the " + kind + " emulator is not available in this build yet";
      try {
        return k.make(std::move(world), settings);
      } catch (const std::invalid_argument& e) {  // a setting that does not parse
        return std::string(e.what());
      } catch (const std::out_of_range&) {
        return std::string("a numeric setting of " + kind + " is out of range");
      }
    }
    names += (names.empty() ? "" : ", ") + k.name;
  }
  return "unknown PSA kind \"" + kind + "\" (known: " + names + ")";
}

}  // namespace cairn::sim
