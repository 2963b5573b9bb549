// SHA-256 of the bytes a data set was read from, written "sha256:<64 hex digits>" (OpenSSL's EVP digest).
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace r1eval::datasets {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(std::string_view bytes);
  // "sha256:<hex>" of everything passed to update(); the object cannot be updated afterwards.
  std::string finish();

 private:
  struct Context;
  std::unique_ptr<Context> context_;
  bool finished_ = false;
};

// "sha256:<hex>" of one byte string.
std::string sha256_text(std::string_view bytes);

}  // namespace r1eval::datasets
