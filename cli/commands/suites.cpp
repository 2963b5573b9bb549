// r1eval suites: the bundled suites with their grader, template, default samples and token budget.
#include <cstdio>

#include <fmt/format.h>

#include "cli/commands.h"
#include "evals/suites/suite.h"

namespace r1eval::cli {

void add_suites_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("suites", "List the bundled evaluation suites");
  cmd->callback([] {
    fmt::print("{:<16} {:<8} {:<14} {:<8} {:>8} {:>9} {:>10}\n", "suite", "version", "grader", "template", "samples",
               "r1 k", "max tokens");
    for (const evals::suites::Suite& s : evals::suites::all_suites()) {
      fmt::print("{:<16} {:<8} {:<14} {:<8} {:8} {:9} {:10}\n", s.name, s.version, s.grader, s.chat_template,
                 s.default_samples, s.r1_protocol_samples, s.max_new_tokens);
    }
  });
}

}  // namespace r1eval::cli
