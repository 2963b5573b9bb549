#include "engine/model/moe.h"

#include <algorithm>
#include <numeric>

namespace r1eval::model {

void group_tokens_by_expert(std::span<const std::int32_t> chosen, std::span<std::int64_t> begin,
                            std::span<std::int64_t> pairs, std::span<std::int64_t> rows) {
  // A counting sort: count each expert's pairs, sum the counts into each expert's end (begin[E], which counts
  // nothing, becomes the total), then place the pairs from the last one back, moving each expert's end down to its
  // first row, so that an expert's pairs stay in ascending order.
  std::ranges::fill(begin, 0);
  for (const std::int32_t e : chosen) ++begin[e];
  std::partial_sum(begin.begin(), begin.end(), begin.begin());
  for (auto p = static_cast<std::int64_t>(chosen.size()) - 1; p >= 0; --p) pairs[--begin[chosen[p]]] = p;
  for (std::size_t j = 0; j < pairs.size(); ++j) rows[pairs[j]] = static_cast<std::int64_t>(j);
}

}  // namespace r1eval::model
