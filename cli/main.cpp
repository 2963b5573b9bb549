// r1eval: evaluation and benchmark harness for DeepSeek-R1 / R1-Zero.
#include <cstdio>
#include <exception>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/argument_errors.h"
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
  r1eval::cli::add_regrade_command(app);
  r1eval::cli::add_audit_command(app);
  r1eval::cli::add_bench_command(app);
  r1eval::cli::add_serve_command(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::RuntimeError& e) {
    return e.get_exit_code();  // a command's own status (grade: some rows were malformed), already explained
  } catch (const CLI::ParseError& e) {
    // --help and --version are "errors" with status 0; every real one is one sentence and the usage status.
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) return app.exit(e);
    std::fprintf(stderr, "r1eval: error: %s\n", r1eval::cli::describe_parse_error(app, e, argc, argv).c_str());
    return r1eval::cli::kUsageExit;
  } catch (const r1eval::cli::ExitStatus& status) {
    return status.code;
  } catch (const std::exception& e) {
    // Commands run inside their parse callbacks; any error that reaches here is reported as one sentence.
    fmt::print(stderr, "r1eval: error: {}\n", e.what());
    return 1;
  }
  return 0;
}
