// Runs the built r1eval program as a user would and checks its one-sentence errors; shared by the CLI tests.
#pragma once

#include <filesystem>
#include <string>

namespace cli_harness {

struct Invocation {
  int exit_code = -1;  // 128 + N when killed by signal N
  std::string out, err;
};

std::string slurp(const std::filesystem::path& p);
std::filesystem::path scratch_dir();

std::string r1eval_binary();

// Runs a shell command line with its output captured; standard input is `stdin_file`.
Invocation run_shell(const std::string& command, const std::filesystem::path& stdin_file = "/dev/null");

// `args` go through the shell as written; standard input is `stdin_file` (default /dev/null). Each test case gets
// its own output files, as CTest runs cases in parallel processes.
Invocation run_r1eval(const std::string& args, const std::filesystem::path& stdin_file = "/dev/null");

std::filesystem::path golden(const std::string& name);
// A writable copy of a golden checkpoint to damage.
std::filesystem::path copy_of(const std::string& name, const std::string& as);

// A non-zero exit that is no crash, and stderr of exactly one line that contains `must_name`.
void expect_one_sentence_error(const Invocation& r, const std::string& must_name);

}  // namespace cli_harness
