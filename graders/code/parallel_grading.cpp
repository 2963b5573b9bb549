#include "graders/code/parallel_grading.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

namespace r1eval::graders::code {

std::vector<Verdict> grade_in_parallel(const Grader& grader, const std::vector<GradeRequest>& requests, int workers) {
  std::vector<Verdict> verdicts(requests.size());
  std::atomic<std::size_t> next{0};
  std::exception_ptr first_error;
  std::mutex error_mutex;
  auto work = [&] {
    for (std::size_t i = next++; i < requests.size(); i = next++) {
      try {
        verdicts[i] = grader.grade(requests[i]);
      } catch (...) {
        std::lock_guard lock(error_mutex);
        if (!first_error) first_error = std::current_exception();
      }
    }
  };
  const std::size_t count = std::min<std::size_t>(static_cast<std::size_t>(std::max(workers, 1)), requests.size());
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < count; ++i) threads.emplace_back(work);
  work();
  for (std::thread& t : threads) t.join();
  if (first_error) std::rethrow_exception(first_error);
  return verdicts;
}

}  // namespace r1eval::graders::code
