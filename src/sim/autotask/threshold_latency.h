#pragma once
// Autotask's answer to an integration nearing its hourly request budget (psa-apis.md §2.6): from
// 50 % of the budget on, each request is slowed, about 0.5 s rising to about 1 s. The emulator
// models it as max/2 at 50 % rising linearly to max at 100 % (assumption T5).

namespace cairn::sim::autotask {

// The delay, in ms, for a request that brings the rolling window to `requests_in_window` of
// `hourly_limit`. 0 below half the budget, when max_ms is 0 (disabled) or when there is no limit.
int threshold_latency_ms(int requests_in_window, int hourly_limit, int max_ms);

}  // namespace cairn::sim::autotask
