// The mixture-of-experts FFN block of DeepSeek-V3 (MODEL.md §5.6): each token routed to k of the E experts, each
// expert run once over the rows of every token that chose it.
#pragma once

#include <cstdint>
#include <span>

namespace r1eval::model {

// Groups a step's (token, slot) pairs by expert, so that each expert runs once over all its rows. chosen: [n, k]
// expert ids, where pair p = t * k + slot chose chosen[p]. Writes begin [E + 1] (expert e's rows are
// [begin[e], begin[e + 1])), pairs [n * k] (the pair behind each row: grouped by expert, ascending within one) and
// rows [n * k] (each pair's row, the inverse).
void group_tokens_by_expert(std::span<const std::int32_t> chosen, std::span<std::int64_t> begin,
                            std::span<std::int64_t> pairs, std::span<std::int64_t> rows);

}  // namespace r1eval::model
