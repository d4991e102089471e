// ServerThreadPause: stops one thread of the sandboxed MariaDB server inside the server, at the
// return from a call to a given function, while the server's other threads run on; the test
// then acts in the window that opens and lets the thread go. It drives gdb in non-stop mode
// with test/integration/pause_server_thread.py, so the server needs no debug build: the
// function is found by its exported symbol and its call sites by objdump.
//
// Thread-compatible: one test thread drives it.
#pragma once

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

extern char** environ;

namespace cdc::testing {

class ServerThreadPause {
 public:
  // Arms a pause at the return from every call of `mangled_callee` in the sandbox server
  // (CDC_TEST_SANDBOX_DIR/mysqld.pid); returns once gdb is attached and the breakpoints set.
  explicit ServerThreadPause(const std::string& mangled_callee) {
    const char* sandbox = std::getenv("CDC_TEST_SANDBOX_DIR");
    REQUIRE_MESSAGE(sandbox != nullptr,
                    "CDC_TEST_SANDBOX_DIR is not set: run through test/run-integration.sh");
    std::ifstream pid_file(std::string(sandbox) + "/mysqld.pid");
    std::string pid;
    REQUIRE_MESSAGE(static_cast<bool>(pid_file >> pid), "no mysqld.pid in the sandbox");
    folder_ = std::filesystem::temp_directory_path() /
              fmt::format("cdc-pause-{}-{}", getpid(), counter_++);
    std::filesystem::remove_all(folder_);
    std::filesystem::create_directories(folder_);
    std::string script = std::string(CDC_TEST_INTEGRATION_DIR) + "/pause_server_thread.py";
    std::string env_pid = "PAUSE_PID=" + pid, env_callee = "PAUSE_AFTER_CALL=" + mangled_callee,
                env_dir = "PAUSE_DIR=" + folder_.string(), log = (folder_ / "gdb.log").string();
    std::vector<std::string> env_strings;
    for (char** e = environ; *e != nullptr; ++e) env_strings.emplace_back(*e);
    env_strings.insert(env_strings.end(), {env_pid, env_callee, env_dir});
    std::vector<char*> envp;
    for (auto& e : env_strings) envp.push_back(e.data());
    envp.push_back(nullptr);
    std::string command = fmt::format("exec gdb -q -nx -batch -x '{}' >'{}' 2>&1", script, log);
    const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
    REQUIRE(posix_spawn(&gdb_, "/bin/sh", nullptr, nullptr, const_cast<char**>(argv),
                        envp.data()) == 0);
    bool armed = WaitFor("armed", std::chrono::seconds(120));
    std::string failure = Read("error") + "\n" + Read("gdb.log");
    REQUIRE_MESSAGE(!Exists("error"), failure);
    REQUIRE_MESSAGE(armed, failure);
  }

  ~ServerThreadPause() {
    Resume();
    if (!WaitFor("done", std::chrono::seconds(30))) {
      // Never leave breakpoints in a server: interrupt gdb so that it detaches.
      kill(gdb_, SIGINT);
      WaitFor("done", std::chrono::seconds(10));
    }
    int status = 0;
    waitpid(gdb_, &status, 0);
    std::filesystem::remove_all(folder_);
  }

  ServerThreadPause(const ServerThreadPause&) = delete;
  ServerThreadPause& operator=(const ServerThreadPause&) = delete;

  // Whether a server thread stopped at the pause within `wait`.
  bool WaitPaused(std::chrono::milliseconds wait) { return WaitFor("paused", wait); }

  // Lets the stopped thread go. If none stopped, the next thread to reach the pause goes on at
  // once, and the destructor waits until one has (give it one: Disarm).
  void Resume() { std::ofstream(folder_ / "resume").flush(); }

  // Resumes, and runs `reach_pause` (which must make some server thread reach the pause) so
  // that gdb can detach; returns once it has.
  template <typename Action>
  void Disarm(Action reach_pause) {
    Resume();
    if (!Exists("done")) reach_pause();
    bool detached = WaitFor("done", std::chrono::seconds(30));
    std::string log = Read("gdb.log");
    REQUIRE_MESSAGE(detached, log);
  }

 private:
  bool Exists(const char* name) const { return std::filesystem::exists(folder_ / name); }
  std::string Read(const char* name) const {
    std::ifstream in(folder_ / name);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  bool WaitFor(const char* name, std::chrono::milliseconds wait) const {
    auto until = std::chrono::steady_clock::now() + wait;
    while (!Exists(name) && !Exists("error")) {
      if (std::chrono::steady_clock::now() > until) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return Exists(name);
  }

  static inline int counter_ = 0;
  std::filesystem::path folder_;
  pid_t gdb_ = 0;
};

}  // namespace cdc::testing
