#include "sim/sim_server.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <charconv>
#include <chrono>

namespace cairn::sim {

namespace {

void json_reply(httplib::Response& res, int status, const std::string& body) {
  res.status = status;
  if (!body.empty()) res.set_content(body, "application/json");
}

void admin_error(httplib::Response& res, int status, const std::string& message) {
  json_reply(res, status, nlohmann::json{{"error", message}}.dump());
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool parse_id(std::string_view s, std::int64_t& id) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
  return ec == std::errc() && p == s.data() + s.size() && id > 0;
}

}  // namespace

SimServer::SimServer(std::unique_ptr<Emulator> emulator, SimServerOptions options)
    : emulator_(std::move(emulator)), options_(std::move(options)), faults_(options_.faults, options_.fault_seed) {
  if (auto err = validate(options_.faults); !err.empty()) throw std::invalid_argument(err);
  auto on_error = [this](const httplib::Request&, httplib::Response& res) {
    // Only the body-size limit lands here (413); answer it in the PSA's error shape as a 500
    // would be, keeping the status.
    const int status = res.status;
    emulator_->write_server_error(res);
    res.status = status;
  };
  http_ = std::make_unique<api::HttpServer>(
      options_.http, [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); }, on_error);
}

SimServer::~SimServer() { stop(); }

std::string SimServer::start() {
  http_->bind();
  base_url_ = http_->base_url();
  emulator_->set_base_url(base_url_);
  thread_ = std::thread([this] { http_->serve(); });
  return base_url_;
}

void SimServer::stop() {
  if (http_) http_->stop();
  if (thread_.joinable()) thread_.join();
  if (emulator_) emulator_->shutdown();
}

void SimServer::handle(const httplib::Request& req, httplib::Response& res) {
  if (req.path == kAdminPrefix || req.path.rfind(std::string(kAdminPrefix) + "/", 0) == 0) {
    try {
      handle_admin(req, res);
    } catch (const std::exception& e) {
      admin_error(res, 500, e.what());
    }
    return;
  }
  log_.record(req.method, req.target);
  const Faults::Decision d = faults_.decide(now_ms());
  if (d.latency_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(d.latency_ms));
  switch (d.outcome) {
    case Faults::Outcome::Throttle:
      emulator_->write_throttled(res, d.retry_after_seconds);
      res.set_header("Retry-After", std::to_string(d.retry_after_seconds));
      return;
    case Faults::Outcome::Fail:
      emulator_->write_server_error(res);
      return;
    case Faults::Outcome::Drop:
      // The status line and headers go out, then the connection closes before any body: the
      // client sees a broken response, as when a load balancer resets the connection.
      res.status = 200;
      res.set_content_provider(
          64, "application/json", [](std::size_t, std::size_t, httplib::DataSink&) { return false; });
      return;
    case Faults::Outcome::Malformed:
    case Faults::Outcome::Pass:
      break;
  }
  try {
    emulator_->handle(req, res);
  } catch (const std::exception&) {
    // A bug in the emulator must not look like a crash: answer the PSA's 500.
    emulator_->write_server_error(res);
  }
  // Writes the emulator answered, with their bodies: what a push really sent.
  if (req.method != "GET") log_.record_write(req.method, req.target, req.body, res.status);
  if (d.outcome == Faults::Outcome::Malformed) {
    // Keep the status and headers, cut the JSON in half (and never leave it empty or valid).
    res.status = 200;
    std::string body = res.body.substr(0, res.body.size() / 2);
    if (body.empty()) body = "{\"";
    res.set_content(body, "application/json");
  }
}

void SimServer::handle_admin(const httplib::Request& req, httplib::Response& res) {
  const std::string sub = req.path.substr(std::char_traits<char>::length(kAdminPrefix));
  const std::string& m = req.method;
  if (sub.empty() || sub == "/") {
    if (m != "GET") return admin_error(res, 405, "use GET");
    nlohmann::json j = {{"kind", emulator_->kind()},
                        {"base_url", base_url_},
                        {"faults", nlohmann::json::parse(to_json(faults_.settings()))},
                        {"clock_offset_seconds", emulator_->clock().offset()},
                        {"requests_total", log_.total()},
                        {"status", nlohmann::json::parse(emulator_->admin_status())}};
    return json_reply(res, 200, j.dump());
  }
  if (sub == "/requests") {
    if (m == "GET")
      return json_reply(res, 200, log_.to_json(req.get_param_value("method"), req.get_param_value("path")));
    if (m == "DELETE") {
      log_.reset();
      return json_reply(res, 204, "");
    }
    return admin_error(res, 405, "use GET or DELETE");
  }
  if (sub == "/faults") {
    if (m == "GET") return json_reply(res, 200, to_json(faults_.settings()));
    if (m == "PUT" || m == "PATCH" || m == "POST") {
      // PUT replaces (fields left out fall back to no fault); PATCH/POST change only the fields given.
      auto r = apply_json(m == "PUT" ? FaultSettings{} : faults_.settings(), req.body);
      if (auto* err = std::get_if<std::string>(&r)) return admin_error(res, 400, *err);
      faults_.set(std::get<FaultSettings>(r));
      return json_reply(res, 200, to_json(faults_.settings()));
    }
    return admin_error(res, 405, "use GET, PUT or PATCH");
  }
  if (sub == "/clock") {
    if (m == "POST") {
      auto j = nlohmann::json::parse(req.body, nullptr, false);
      if (j.is_discarded() || !j.is_object() || !j.contains("advance_seconds") ||
          !j["advance_seconds"].is_number_integer() || j["advance_seconds"].get<std::int64_t>() < 0)
        return admin_error(res, 400, "the body must be {\"advance_seconds\": N} with N >= 0");
      emulator_->clock().advance(j["advance_seconds"].get<std::int64_t>());
    } else if (m != "GET") {
      return admin_error(res, 405, "use GET or POST");
    }
    nlohmann::json j = {{"now", format_utc(emulator_->clock().now())},
                        {"offset_seconds", emulator_->clock().offset()}};
    return json_reply(res, 200, j.dump());
  }
  const std::string records = "/records/";
  if (sub.rfind(records, 0) == 0) {
    const std::string rest = sub.substr(records.size());
    const auto slash = rest.find('/');
    const std::string entity = rest.substr(0, slash);
    AdminResult r;
    if (slash == std::string::npos) {
      if (m != "POST") return admin_error(res, 405, "use POST to create a record");
      r = emulator_->admin_create(entity, req.body);
    } else {
      std::int64_t id = 0;
      if (!parse_id(std::string_view(rest).substr(slash + 1), id))
        return admin_error(res, 404, "expected /__sim/records/ENTITY/ID with a positive numeric id");
      if (m == "PATCH" || m == "PUT") r = emulator_->admin_update(entity, id, req.body);
      else if (m == "DELETE") r = emulator_->admin_delete(entity, id);
      else return admin_error(res, 405, "use PATCH or DELETE on a record");
    }
    return json_reply(res, r.status, r.body);
  }
  if (emulator_->admin_extra(sub, req, res)) return;
  admin_error(res, 404,
              "unknown admin route " + req.path +
                  " (known: /__sim, /__sim/requests, /__sim/faults, /__sim/clock, /__sim/records/ENTITY[/ID])");
}

}  // namespace cairn::sim
