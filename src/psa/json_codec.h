#pragma once
// Turns one PSA wire record (JSON) into a PsaRecord through a mapping table. Pure.
#include <nlohmann/json_fwd.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/psa_record.h"
#include "psa/mapping.h"

namespace cairn::psa {

// The JSON value at a "/"-separated path, or null when any step is missing.
const nlohmann::json* at_path(const nlohmann::json& j, const std::string& path);

core::PsaRecord decode(const Mapping& m, core::SyncEntity entity, const nlohmann::json& wire);

// Decodes a list page (a JSON array of wire records) straight from the response body, with
// simdjson: the same rows and results as decode(), at a fraction of nlohmann's parse cost.
// Keeps its parser's buffers from page to page; one per thread.
class PageDecoder {
 public:
  PageDecoder();
  ~PageDecoder();
  // Calls `each` for every record, in order; the number of records, or nullopt when the body is
  // not a JSON array.
  std::optional<size_t> decode(const Mapping& m, core::SyncEntity entity, const std::string& body,
                               const std::function<void(core::PsaRecord)>& each);

 private:
  struct Parser;
  std::unique_ptr<Parser> parser_;
};

// R10: one MAC address (six hex pairs, ':' or '-' separated, or twelve hex digits).
bool is_single_mac(const std::string& s);

}  // namespace cairn::psa
