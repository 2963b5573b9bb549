// r1eval: evaluation and benchmark harness for DeepSeek-R1 / R1-Zero.
#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/commands.h"
#include "common/build_info.h"

int main(int argc, char** argv) {
  CLI::App app{"r1eval: evaluate DeepSeek-R1 and R1-Zero checkpoints"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "r1eval " + r1eval::common::version());
  r1eval::cli::add_synth_model_command(app);
  r1eval::cli::add_logits_command(app);
  r1eval::cli::add_generate_command(app);
  r1eval::cli::add_tokenize_command(app);
  r1eval::cli::add_detokenize_command(app);
  r1eval::cli::add_grade_command(app);
  r1eval::cli::add_suites_command(app);
  r1eval::cli::add_run_command(app);
  r1eval::cli::add_report_command(app);
  r1eval::cli::add_compare_command(app);
  r1eval::cli::add_bench_command(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const r1eval::cli::ExitStatus& status) {
    return status.code;
  } catch (const std::exception& e) {
    // Commands run inside their parse callbacks; any error that reaches here is reported as one sentence.
    fmt::print(stderr, "r1eval: error: {}\n", e.what());
    return 1;
  }
  return 0;
}
