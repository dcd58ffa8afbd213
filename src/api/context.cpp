#include "api/context.h"

#include <httplib.h>

#include "api/jsonapi.h"

namespace cairn::api {

const std::multimap<std::string, std::string>& Context::params() const { return req.params; }
const std::string& Context::method() const { return req.method; }

void Context::send_json(int status, std::string body) {
  res.status = status;
  // Moved, not copied: list pages are a megabyte.
  res.body = std::move(body);
  res.set_header("Content-Type", kJsonApi);
}

void Context::send_error(const core::Error& e) { send_json(http_status(e.kind), error_document(e)); }

void Context::send_error(int status, const std::string& title, const std::string& detail) {
  send_json(status, error_document(status, title, detail));
}

void Context::no_content() {
  res.status = 204;
  res.body.clear();
}

}  // namespace cairn::api
