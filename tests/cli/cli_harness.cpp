#include "tests/cli/cli_harness.h"

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace cli_harness {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

fs::path scratch_dir() {
  const fs::path dir = fs::path(R1EVAL_BINARY_DIR) / "test-scratch" / "cli";
  fs::create_directories(dir);
  return dir;
}

std::string r1eval_binary() { return std::string(R1EVAL_BINARY_DIR) + "/cli/r1eval"; }

Invocation run_r1eval(const std::string& args, const fs::path& stdin_file) {
  return run_shell(r1eval_binary() + " " + args, stdin_file);
}

Invocation run_shell(const std::string& command, const fs::path& stdin_file) {
  const std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  const fs::path out = scratch_dir() / (name + ".stdout"), err = scratch_dir() / (name + ".stderr");
  const std::string cmd = "(" + command + ") >" + out.string() + " 2>" + err.string() + " <" + stdin_file.string();
  const int status = std::system(cmd.c_str());
  Invocation r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

fs::path golden(const std::string& name) { return fs::path(R1EVAL_SOURCE_DIR) / "tests/data/golden" / name; }

fs::path copy_of(const std::string& name, const std::string& as) {
  const fs::path dst = scratch_dir() / as;
  fs::remove_all(dst);
  fs::copy(golden(name), dst);
  for (const auto& e : fs::directory_iterator(dst)) {
    fs::permissions(e.path(), fs::perms::owner_write, fs::perm_options::add);
  }
  return dst;
}

void expect_one_sentence_error(const Invocation& r, const std::string& must_name) {
  EXPECT_NE(r.exit_code, 0);
  EXPECT_LT(r.exit_code, 128) << "crashed: " << r.err;
  ASSERT_FALSE(r.err.empty());
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "more than one line: " << r.err;
  EXPECT_NE(r.err.find(must_name), std::string::npos) << r.err;
}

}  // namespace cli_harness
