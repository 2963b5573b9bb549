#include "graders/code/self_check.h"

#include "graders/code/execution.h"

namespace r1eval::graders::code {
namespace {

// Each assert names what it checks, so a failure message says which layer is missing.
constexpr const char* kProbeTests[] = {
    "import os\nassert os.getuid() == 65534, 'the program does not run as uid 65534'\n",
    "import socket\ntry:\n    socket.socket(socket.AF_INET, socket.SOCK_STREAM)\n    opened = True\n"
    "except PermissionError:\n    opened = False\nassert not opened, 'the seccomp filter did not refuse an AF_INET "
    "socket'\n",
    "import os\nassert not os.path.exists('/etc/passwd'), 'host /etc is visible inside the sandbox'\n",
    "import os\nassert not os.path.exists('/root') and not os.path.exists('/home'), 'host home directories are "
    "visible'\n",
    "import os\nassert set(os.environ) <= {'PATH', 'HOME', 'LANG', 'MALLOC_ARENA_MAX', 'OMP_NUM_THREADS', "
    "'OPENBLAS_NUM_THREADS', 'PYTHONDONTWRITEBYTECODE', 'PWD', 'LC_CTYPE'}, 'the environment was not cleared: %s' % "
    "sorted(os.environ)\n",
    "import os\nopen('/tmp/probe', 'w').write('x')\nassert os.getcwd() == '/tmp', 'the work directory is not /tmp'\n",
    "import os\ntry:\n    open('/usr/probe', 'w')\n    wrote = True\nexcept OSError:\n    wrote = False\n"
    "assert not wrote, '/usr is writable inside the sandbox'\n",
};

}  // namespace

std::string SelfCheck::message() const {
  std::string noted;
  for (const std::string& note : notes) noted += " Note: " + note;
  if (ok) return "code sandbox ready: " + mechanisms + "." + noted;
  std::string text = "the code sandbox self-check failed, so code graders refuse to run model code:";
  for (const std::string& problem : problems) text += " " + problem;
  text += noted;
  text += " Fix the sandbox (bubblewrap needs unprivileged user namespaces; see scripts/install-deps.sh) or pass "
          "--unsafe-no-sandbox to run model code on this host without isolation.";
  return text;
}

SelfCheck run_self_check(const Sandbox& sandbox) {
  SelfCheck check;
  check.mechanisms = sandbox.describe();
  if (sandbox.settings().unsafe_no_sandbox) {
    check.ok = true;
    return check;
  }
  const SandboxMechanisms mechanisms = sandbox.mechanisms();
  const bool root = mechanisms.root;
  const bool pids_cgroup = mechanisms.pids_cgroup;
  const bool memory_cgroup = mechanisms.memory_cgroup;
  if (mechanisms.slot_uids) {
    check.notes.push_back("running as root (as CI does): each sandbox runs as an unprivileged host uid from " +
                          std::to_string(sandbox.settings().host_uid_base) +
                          " on, because root ignores RLIMIT_NPROC and bwrap would map the sandbox to root.");
  }
  if (!pids_cgroup) {
    check.notes.push_back("no writable pids cgroup: the process limit rests on RLIMIT_NPROC alone.");
  }
  if (!memory_cgroup) {
    check.notes.push_back("no writable memory cgroup: memory is limited by RLIMIT_AS, which can make heavily "
                          "threaded programs fail spuriously.");
  }
  if (root && !sandbox.settings().drop_root_to_slot_uid && !pids_cgroup) {
    check.problems.push_back(
        "Running as root without a writable pids cgroup and without dropping to a slot uid: RLIMIT_NPROC does not bind "
        "root, so a fork bomb would not be contained.");
  }
  TestJob probe;
  probe.program = "PROBE = 1\n";
  probe.tests.assign(std::begin(kProbeTests), std::end(kProbeTests));
  const Execution result = execute(sandbox, probe, 1);
  if (result.outcome != Outcome::kPass) {
    check.problems.push_back("The probe program did not pass inside the sandbox (" + result.detail + ").");
  }
  check.ok = check.problems.empty();
  return check;
}

}  // namespace r1eval::graders::code
