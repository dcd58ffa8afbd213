#include "sync/notice_puller.h"

#include <spdlog/spdlog.h>

#include "sync/connectors.h"
#include "sync/engine.h"

namespace cairn::sync {

NoticePuller::NoticePuller(store::Database& db, std::chrono::milliseconds window) : db_(db), window_(window) {}

NoticePuller::~NoticePuller() { stop(); }

void NoticePuller::start() {
  std::lock_guard lock(mutex_);
  if (worker_.joinable()) return;
  stopping_ = false;
  worker_ = std::thread([this] { loop(); });
}

void NoticePuller::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
  std::lock_guard lock(mutex_);
  queue_.clear();
  waiting_.clear();
}

bool NoticePuller::enqueue(std::int64_t integration_id, const psa::RecordNotice& notice, const std::string& actor) {
  std::string key = std::to_string(integration_id) + ":" + core::entity_type(notice.entity) + ":" + notice.psa_id;
  {
    std::lock_guard lock(mutex_);
    if (!waiting_.insert(key).second) return false;
    queue_.push_back({integration_id, notice, actor, std::move(key), std::chrono::steady_clock::now() + window_});
  }
  wake_.notify_all();
  return true;
}

bool NoticePuller::wait_idle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return wake_.wait_for(lock, timeout, [this] { return queue_.empty() && !running_pull_; });
}

void NoticePuller::loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (queue_.empty()) {
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      continue;
    }
    if (std::chrono::steady_clock::now() < queue_.front().due) {
      wake_.wait_until(lock, queue_.front().due, [this] { return stopping_; });
      continue;
    }
    Pull p = std::move(queue_.front());
    queue_.pop_front();
    // A notice that arrives from now on may describe a change this pull reads too late: it queues anew.
    waiting_.erase(p.key);
    running_pull_ = true;
    lock.unlock();
    pull(p);
    lock.lock();
    running_pull_ = false;
    wake_.notify_all();
  }
}

void NoticePuller::pull(const Pull& p) {
  try {
    auto integration = read_integration(db_, p.integration_id);
    // Removed or paused since the notice came: the schedule (or a resume) catches up.
    if (!integration || integration->state == store::IntegrationState::Paused) return;
    auto source = make_source(*integration);
    RunOptions o;
    o.only = OneRecord{p.notice.entity, p.notice.psa_id, ""};
    o.actor = p.actor;
    auto report = run_sync(db_, *integration, *source, o);
    if (report.state == "failed")
      spdlog::warn("webhook pull of {} {} for integration {} failed: {}", core::entity_type(p.notice.entity),
                   p.notice.psa_id, p.integration_id, report.stopped.value_or(""));
  } catch (const std::exception& e) {
    spdlog::error("webhook pull of {} {} for integration {} failed: {}", core::entity_type(p.notice.entity),
                  p.notice.psa_id, p.integration_id, e.what());
  }
}

}  // namespace cairn::sync
