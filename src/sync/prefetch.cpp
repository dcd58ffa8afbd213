#include "sync/prefetch.h"

#include "psa/owned_pull.h"

namespace cairn::sync {

namespace {
// Thrown inside the worker's callback to unwind a pull nobody waits for any more.
struct Cancelled {};
}  // namespace

Prefetch::Prefetch(psa::Source& source, core::SyncEntity e, std::string since, std::vector<std::string> syncing_orgs,
                   size_t batch, size_t max_batches)
    : batch_(batch < 1 ? 1 : batch), max_batches_(max_batches < 1 ? 1 : max_batches) {
  filling_.reserve(batch_);
  worker_ = std::thread([this, &source, e, since = std::move(since), orgs = std::move(syncing_orgs)] {
    std::exception_ptr error;
    try {
      if (auto* owned = dynamic_cast<psa::OwnedPull*>(&source))
        owned->pull_owned(e, since, orgs, [this](core::PsaRecord&& r) { push(std::move(r)); });
      else
        source.pull(e, since, orgs, [this](const core::PsaRecord& r) { push(core::PsaRecord(r)); });
    } catch (const Cancelled&) {
      return;
    } catch (...) {
      error = std::current_exception();
    }
    try {
      deliver(true, error);
    } catch (const Cancelled&) {
    }
  });
}

Prefetch::~Prefetch() {
  {
    std::lock_guard lock(m_);
    cancelled_ = true;
  }
  changed_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void Prefetch::push(core::PsaRecord&& r) {
  filling_.push_back(std::move(r));
  if (filling_.size() >= batch_) deliver(false, nullptr);
}

void Prefetch::deliver(bool last, std::exception_ptr error) {
  std::unique_lock lock(m_);
  changed_.wait(lock, [&] { return cancelled_ || ready_.size() < max_batches_; });
  if (cancelled_) throw Cancelled{};
  if (!filling_.empty()) ready_.push_back(std::move(filling_));
  filling_ = {};
  filling_.reserve(batch_);
  if (last) {
    done_ = true;
    error_ = error;
  }
  changed_.notify_all();
}

bool Prefetch::next(std::vector<core::PsaRecord>& out) {
  std::unique_lock lock(m_);
  changed_.wait(lock, [&] { return !ready_.empty() || done_; });
  if (!ready_.empty()) {
    out = std::move(ready_.front());
    ready_.pop_front();
    changed_.notify_all();
    return true;
  }
  if (error_) std::rethrow_exception(error_);
  return false;
}

}  // namespace cairn::sync
