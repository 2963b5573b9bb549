// The start-up check code graders run before executing any model code: a probe program inside the sandbox must
// see uid 65534, no network, no host files and a cleared environment, and processes must be countable. If any of
// that fails, code grading refuses to run (fail closed) unless the caller explicitly chose --unsafe-no-sandbox.
#pragma once

#include <string>
#include <vector>

#include "graders/code/sandbox.h"

namespace r1eval::graders::code {

struct SelfCheck {
  bool ok = false;
  std::string mechanisms;             // what is active, e.g. for a run's metadata
  std::vector<std::string> problems;  // each a sentence saying what is wrong and what to do
  std::vector<std::string> notes;     // how this machine differs from the full design (e.g. root, no cgroups)
  std::string message() const;        // one paragraph for users
};

SelfCheck run_self_check(const Sandbox& sandbox);

}  // namespace r1eval::graders::code
