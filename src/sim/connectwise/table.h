#pragma once
// One ConnectWise collection in memory: records in a vector sorted by id (ids only grow), so a
// page is a slice, "id > pageId" is a binary search and a lookup by id is O(log n). Ids and
// last-updated times are also kept as columns: "changed since" over a million records then
// reads 16 MB instead of every record.
#include <algorithm>
#include <cstddef>
#include <vector>

#include "sim/connectwise/records.h"

namespace cairn::sim::connectwise {

template <typename R>
class Table {
 public:
  std::vector<R>& rows() { return rows_; }
  const std::vector<R>& rows() const { return rows_; }
  std::size_t size() const { return rows_.size(); }

  R* find(Id id) {
    auto it = std::lower_bound(rows_.begin(), rows_.end(), id, [](const R& r, Id v) { return r.id < v; });
    return it != rows_.end() && it->id == id ? &*it : nullptr;
  }
  const R* find(Id id) const { return const_cast<Table*>(this)->find(id); }
  // Index of the first record whose id is greater than id.
  std::size_t first_after(Id id) const {
    return static_cast<std::size_t>(
        std::upper_bound(rows_.begin(), rows_.end(), id, [](Id v, const R& r) { return v < r.id; }) - rows_.begin());
  }

  Id id_at(std::size_t i) const { return ids_[i]; }
  Timestamp updated_at(std::size_t i) const { return updated_[i]; }

  // Adds a record with the next id and returns it.
  R& add(R r) {
    r.id = next_id_++;
    ids_.push_back(r.id);
    updated_.push_back(r.info.updated);
    rows_.push_back(std::move(r));
    return rows_.back();
  }
  // Adds a record keeping its id (seeding); call sort_seeded() when done.
  void add_seeded(R r) {
    next_id_ = std::max(next_id_, r.id + 1);
    rows_.push_back(std::move(r));
  }
  void sort_seeded() {
    std::sort(rows_.begin(), rows_.end(), [](const R& a, const R& b) { return a.id < b.id; });
    ids_.resize(rows_.size());
    updated_.resize(rows_.size());
    for (std::size_t i = 0; i < rows_.size(); ++i) refresh_at(i);
  }
  // Call after changing a record in place (its info.updated).
  void refresh(const R& r) { refresh_at(static_cast<std::size_t>(&r - rows_.data())); }
  bool erase(Id id) {
    auto it = std::lower_bound(rows_.begin(), rows_.end(), id, [](const R& r, Id v) { return r.id < v; });
    if (it == rows_.end() || it->id != id) return false;
    const auto i = it - rows_.begin();
    rows_.erase(it);
    ids_.erase(ids_.begin() + i);
    updated_.erase(updated_.begin() + i);
    return true;
  }
  void reserve(std::size_t n) { rows_.reserve(n); }

 private:
  void refresh_at(std::size_t i) {
    ids_[i] = rows_[i].id;
    updated_[i] = rows_[i].info.updated;
  }

  std::vector<R> rows_;
  std::vector<Id> ids_;
  std::vector<Timestamp> updated_;
  Id next_id_ = 1;
};

}  // namespace cairn::sim::connectwise
