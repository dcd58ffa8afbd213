#include "api/push_all_routes.h"

#include <spdlog/spdlog.h>

#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/json_writer.h"
#include "api/sync_routes.h"
#include "sync/connectors.h"
#include "sync/push_all.h"

namespace cairn::api {
namespace {

// ConnectWise publishes no hourly limit: the same rate `cairn push-all` keeps (D19).
constexpr double kConnectWiseCreatesPerSecond = 10;

// The push-alls running in this server; joined when the server goes away. Which integration is
// being pushed is the database's to say (sync/push_all.h), across every process.
class PushAllJobs {
 public:
  ~PushAllJobs() {
    std::vector<std::thread> threads;
    {
      std::lock_guard lock(mutex_);
      threads.swap(threads_);
    }
    for (auto& t : threads) t.join();
  }
  void add(std::thread t) {
    std::lock_guard lock(mutex_);
    threads_.push_back(std::move(t));
  }

 private:
  std::mutex mutex_;
  std::vector<std::thread> threads_;
};

}  // namespace

void add_push_all_routes(App& app) {
  auto jobs = std::make_shared<PushAllJobs>();
  app.add_route({"POST", {"integrations", "*", "actions", "push-all"}, store::Role::Admin, true, [jobs](Context& c) {
    auto i = load_integration(c);
    if (!i) return;
    if (auto refused = sync::push_all_refusal(*i)) return c.send_error(422, "Push-all refused", *refused);
    std::shared_ptr<psa::Source> source;
    try {
      source = sync::make_source(*i);
    } catch (const std::exception& e) {
      return c.send_error(422, "Integration not usable", e.what());
    }
    auto claimed = sync::start_push_all_run(c.db, i->id);
    if (!claimed) return c.send_error(409, "Already running", claimed.error().detail);
    const std::int64_t run_id = claimed.value();
    store::Database& db = c.db;
    sync::PushAllOptions options;
    options.run_id = run_id;
    options.creates_per_second = i->kind == "connectwise" ? kConnectWiseCreatesPerSecond : 0;
    options.notice = [id = i->id](const std::string& text) { spdlog::info("push-all integration={}: {}", id, text); };
    jobs->add(std::thread([&db, integration = *i, source, options] {
      try {
        auto report = sync::run_push_all(db, integration, *source, options);
        spdlog::info("push-all integration={} run={}: {}, linked {}, created {}, skipped {}, failed {}", integration.id,
                     report.run_id, report.state, report.linked, report.created, report.skipped, report.failed);
      } catch (const std::exception& e) {
        spdlog::error("push-all integration={}: {}", integration.id, e.what());
      }
    }));
    std::string out;
    core::JsonWriter w(out);
    w.begin_object().key("data").begin_object();
    w.key("type").value("sync_runs").key("id").value(std::to_string(run_id));
    w.key("attributes").begin_object().key("mode").value("push-all").key("state").value("running").end_object();
    w.key("links").begin_object().key("self").value("/sync_runs/" + std::to_string(run_id)).end_object();
    w.end_object().end_object();
    c.send_json(202, std::move(out));
  }});
}

}  // namespace cairn::api
