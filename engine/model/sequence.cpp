#include "engine/model/sequence.h"

#include <stdexcept>

namespace r1eval::engine::model {

Sequence::Sequence(std::int64_t n_layers, std::int64_t entry_width)
    : entry_width_(entry_width), cache_(static_cast<std::size_t>(n_layers)) {}

void Sequence::reserve(std::int64_t tokens) {
  for (auto& layer : cache_) layer.reserve(static_cast<std::size_t>(tokens * entry_width_));
}

void Sequence::truncate(std::int64_t new_length) {
  if (new_length < 0 || new_length > length_) throw std::out_of_range("Sequence::truncate past the end");
  length_ = new_length;
  for (auto& layer : cache_) layer.resize(static_cast<std::size_t>(length_ * entry_width_));
}

void Sequence::extend(std::int64_t tokens) {
  length_ += tokens;
  for (auto& layer : cache_) layer.resize(static_cast<std::size_t>(length_ * entry_width_));
}

}  // namespace r1eval::engine::model
