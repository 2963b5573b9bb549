// Inputs for one kernel case, allocated and filled once, and a run() that makes exactly one call of the case's
// work. Shared by `r1eval bench`'s runner and the Google Benchmark suite, so both time the same thing.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "perf/kernel_cases.h"
#include "perf/synthetic_weights.h"

namespace r1eval::engine::tokenizer {
class Tokenizer;
}

namespace r1eval::perf {

class PreparedCase {
 public:
  virtual ~PreparedCase() = default;
  virtual void run() = 0;
  // True when successive run() calls already read their weights from memory, not cache: the fixture cycles
  // through enough copies of its weights to overflow the last-level cache, so calls can be timed back to back
  // (as the engine makes them) without flushing.
  virtual bool weights_rotate() const { return false; }
};

struct CaseResources {
  WeightPool* weights = nullptr;                     // required for matmul and expert_ffn
  const engine::tokenizer::Tokenizer* tokenizer = nullptr;  // required for tokenizer_encode
  std::int64_t llc_bytes = 32 << 20;                 // weights smaller than 3 × this get rotating copies
};

// How many copies of its weights a case cycles through: enough that they span 3 × llc_bytes (at most 256).
int weight_copies(const KernelCase& c, std::int64_t llc_bytes);
// The weight matrices a case uses, every copy (to pass to WeightPool::retain_only before preparing it).
std::vector<WeightPool::Key> weight_keys(const KernelCase& c, std::int64_t llc_bytes);

// Allocates and fills the case's inputs. Throws std::invalid_argument for a missing resource (no tokenizer for
// tokenizer_encode).
std::unique_ptr<PreparedCase> prepare_case(const KernelCase& c, const CaseResources& resources);

// The tokenizer case's input: a deterministic mix of English prose, code, arithmetic and Chinese, cut to at most
// `bytes` bytes on a UTF-8 character boundary.
std::string sample_text(std::int64_t bytes);

}  // namespace r1eval::perf
