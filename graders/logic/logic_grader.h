// The "logic" grader: BIG-Bench-Hard targets (option letters, True/False, Yes/No, valid/invalid, numbers, Dyck
// completions, word lists) and Knights-and-Knaves assignments, read from the answer part of a reasoning output
// (after the last </think>, inside <answer> when present).
#pragma once

#include <memory>

#include "graders/grader.h"

namespace r1eval::graders::logic {

std::unique_ptr<Grader> make_logic_grader();

}  // namespace r1eval::graders::logic
