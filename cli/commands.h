// Each command of the r1eval program registers itself on the top-level CLI11 app.
#pragma once

#include <CLI/CLI.hpp>

namespace r1eval::cli {

// Registered in main.cpp in this order (the order `r1eval --help` lists them).
void add_synth_model_command(CLI::App& app);
void add_logits_command(CLI::App& app);
void add_generate_command(CLI::App& app);
void add_tokenize_command(CLI::App& app);
void add_detokenize_command(CLI::App& app);
void add_grade_command(CLI::App& app);
void add_suites_command(CLI::App& app);
void add_run_command(CLI::App& app);
void add_report_command(CLI::App& app);
void add_compare_command(CLI::App& app);
void add_regrade_command(CLI::App& app);
void add_audit_command(CLI::App& app);
void add_bench_command(CLI::App& app);
void add_serve_command(CLI::App& app);

// Thrown by a command that ends with a status other than 0 without an error message of its own (an interrupted
// run, a significant regression); main() returns the code after the command's objects are destroyed.
struct ExitStatus {
  int code = 0;
};

}  // namespace r1eval::cli
