#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "engine/model/moe.h"

namespace r1eval::engine::model {
namespace {

struct Grouping {
  std::vector<std::int64_t> begin, pairs, rows;
};

Grouping group(const std::vector<std::int32_t>& chosen, std::int64_t experts) {
  Grouping g{std::vector<std::int64_t>(static_cast<std::size_t>(experts + 1), -1),
             std::vector<std::int64_t>(chosen.size(), -1), std::vector<std::int64_t>(chosen.size(), -1)};
  group_tokens_by_expert(chosen, g.begin, g.pairs, g.rows);
  return g;
}

TEST(GroupTokensByExpert, FiveTokensTopTwoOverFourExperts) {
  // Token t's slots are pairs 2t and 2t + 1.
  const std::vector<std::int32_t> chosen = {2, 0,   // token 0: pairs 0, 1
                                            1, 2,   // token 1: pairs 2, 3
                                            2, 3,   // token 2: pairs 4, 5
                                            0, 1,   // token 3: pairs 6, 7
                                            3, 2};  // token 4: pairs 8, 9
  const Grouping g = group(chosen, 4);
  // Expert 0: pairs 1, 6; expert 1: 2, 7; expert 2: 0, 3, 4, 9; expert 3: 5, 8.
  EXPECT_EQ(g.begin, (std::vector<std::int64_t>{0, 2, 4, 8, 10}));
  EXPECT_EQ(g.pairs, (std::vector<std::int64_t>{1, 6, 2, 7, 0, 3, 4, 9, 5, 8}));
  EXPECT_EQ(g.rows, (std::vector<std::int64_t>{4, 0, 2, 5, 6, 8, 1, 3, 9, 7}));
}

TEST(GroupTokensByExpert, AnExpertNobodyChoseGetsAnEmptyRange) {
  const Grouping g = group({2, 0, 2}, 4);  // experts 1 and 3 unchosen
  EXPECT_EQ(g.begin, (std::vector<std::int64_t>{0, 1, 1, 3, 3}));
  EXPECT_EQ(g.pairs, (std::vector<std::int64_t>{1, 0, 2}));
  EXPECT_EQ(g.rows, (std::vector<std::int64_t>{1, 0, 2}));
}

}  // namespace
}  // namespace r1eval::engine::model
