// Repetition in reasoning: how much of the text re-says itself (duplicate word 8-grams; ordinary prose rarely
// repeats eight words in a row), and whether the output ends in a loop (a block repeated back to back, the usual
// way a sampled reasoning model degenerates until it hits the token limit).
#pragma once

#include <cstddef>
#include <string_view>

namespace r1eval::graders::format {

struct Repetition {
  double duplicate_ngram_share = 0.0;  // 1 - distinct/total word 8-grams (0 with fewer than 8 words)
  bool looping_tail = false;           // the output ends with one block repeated at least 3 times
  std::size_t loop_period = 0;         // that block's length in bytes
  std::size_t loop_bytes = 0;          // how many trailing bytes the loop covers
};

Repetition measure_repetition(std::string_view text);

}  // namespace r1eval::graders::format
