// `r1eval serve` on the bundled toy model, listening on a free loopback port for the length of a test; shared by the
// serve tests that talk to it over HTTP.
#pragma once

#include <httplib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "serve/openai_server.h"

namespace r1eval::serve::testing {

class LoopbackServer {
 public:
  explicit LoopbackServer(ServeOptions options)
      : server_(std::make_unique<OpenAiServer>(std::filesystem::path(R1EVAL_SOURCE_DIR) / "models/toy-arith-r1zero",
                                               std::move(options))),
        port_(server_->bind("127.0.0.1", 0)),
        thread_([this] { server_->listen(); }) {}
  ~LoopbackServer() {
    server_->stop();
    thread_.join();
  }
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  OpenAiServer& server() { return *server_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }
  // A client with a read timeout long enough for a reply the engine generates on a busy machine.
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(120);
    return c;
  }

 private:
  std::unique_ptr<OpenAiServer> server_;
  int port_;
  std::thread thread_;
};

}  // namespace r1eval::serve::testing
