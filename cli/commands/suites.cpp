// r1eval suites: the bundled suites with their grader, template, default samples and token budget.
#include <cstdio>

#include "cli/commands.h"
#include "evals/suites/suite.h"

namespace r1eval::cli {

void add_suites_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("suites", "List the bundled evaluation suites");
  cmd->callback([] {
    std::printf("%-16s %-8s %-14s %-8s %8s %9s %10s\n", "suite", "version", "grader", "template", "samples",
                "r1 k", "max tokens");
    for (const evals::suites::Suite& s : evals::suites::all_suites()) {
      std::printf("%-16s %-8s %-14s %-8s %8lld %9lld %10lld\n", s.name.c_str(), s.version.c_str(), s.grader.c_str(),
                  s.chat_template.c_str(), static_cast<long long>(s.default_samples),
                  static_cast<long long>(s.r1_protocol_samples), static_cast<long long>(s.max_new_tokens));
    }
  });
}

}  // namespace r1eval::cli
