#pragma once
// One page of a Tigerpaw search (assumption P4): StartRow is 1-based, PageSize defaults and is
// capped, NextRow is the next page's StartRow or 0 after the last page.
#include <algorithm>
#include <cstddef>

namespace cairn::sim::tigerpaw {

struct PageWindow {
  std::size_t first = 0;  // index of the first record on the page
  std::size_t end = 0;    // one past the last
  int page_size = 0;      // the PageSize answered
  std::size_t next_row = 0;
};

// asked_page_size 0: not given. start_row >= 1 (the parser refuses less).
inline PageWindow page_window(int start_row, int asked_page_size, int default_page_size, int max_page_size,
                              std::size_t total) {
  PageWindow p;
  p.page_size = std::max(1, std::min(asked_page_size > 0 ? asked_page_size : default_page_size, max_page_size));
  p.first = std::min(total, static_cast<std::size_t>(start_row - 1));
  p.end = std::min(total, p.first + static_cast<std::size_t>(p.page_size));
  p.next_row = p.end < total ? p.end + 1 : 0;
  return p;
}

}  // namespace cairn::sim::tigerpaw
