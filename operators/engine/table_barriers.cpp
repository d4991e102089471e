#include "operators/engine/table_barriers.h"

namespace cdc {

bool TableBarriers::Arrive(const BarrierKey& key, size_t tables, Release release) {
  Status cancelled;
  {
    std::lock_guard lock(mu_);
    if (cancelled_.ok()) {
      Pending& pending = pending_[key];
      pending.releases.push_back(std::move(release));
      return ++pending.arrived == parallelism_ * tables;
    }
    cancelled = cancelled_;
  }
  release(cancelled);
  return false;
}

void TableBarriers::Complete(const BarrierKey& key, const Status& status) {
  std::vector<Release> releases;
  {
    std::lock_guard lock(mu_);
    auto it = pending_.find(key);
    if (it == pending_.end()) return;  // cancelled meanwhile: already released
    releases = std::move(it->second.releases);
    pending_.erase(it);
  }
  for (Release& release : releases) release(status);
}

void TableBarriers::CancelAll(const Status& status) {
  std::vector<Release> releases;
  Status cancelled;
  {
    std::lock_guard lock(mu_);
    if (!cancelled_.ok()) return;
    cancelled_ = status.ok() ? Status::Cancelled("the job is stopping") : status;
    cancelled = cancelled_;
    for (auto& [key, pending] : pending_) {
      for (Release& release : pending.releases) releases.push_back(std::move(release));
    }
    pending_.clear();
  }
  for (Release& release : releases) release(cancelled);
}

}  // namespace cdc
