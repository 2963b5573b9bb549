// The one exception type for bad model files: its message is one sentence naming the file, tensor or key.
#pragma once

#include <stdexcept>
#include <string>

namespace r1eval::engine::weights {

class LoadError : public std::runtime_error {
 public:
  explicit LoadError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace r1eval::engine::weights
