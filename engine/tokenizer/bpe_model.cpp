#include "engine/tokenizer/bpe_model.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "engine/tokenizer/byte_level.h"
#include "engine/tokenizer/tokenizer_error.h"
#include "engine/tokenizer/utf8.h"

namespace r1eval::engine::tokenizer {
namespace {

std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  return x;
}

}  // namespace

BpeModel::BpeModel(BpeModel&& other) noexcept { *this = std::move(other); }

BpeModel& BpeModel::operator=(BpeModel&& other) noexcept {
  if (this == &other) return *this;
  id_to_token_ = std::move(other.id_to_token_);
  token_to_id_ = std::move(other.token_to_id_);
  merge_table_ = std::move(other.merge_table_);
  merge_mask_ = other.merge_mask_;
  std::copy(std::begin(other.byte_ids_), std::end(other.byte_ids_), std::begin(byte_ids_));
  std::lock_guard lock(other.cache_mutex_);
  cache_ = std::move(other.cache_);
  return *this;
}

BpeModel BpeModel::from_json(const nlohmann::json& model, BpeTables tables, const std::string& where) {
  if (!model.is_object()) throw TokenizerError(where + ": \"model\" is not an object");
  const std::string type = model.value("type", std::string("BPE"));
  if (type != "BPE") throw TokenizerError(where + ": model type \"" + type + "\" is not supported (only BPE)");
  for (const char* key : {"continuing_subword_prefix", "end_of_word_suffix"}) {
    const auto it = model.find(key);
    if (it != model.end() && !it->is_null() && !(it->is_string() && it->get<std::string>().empty())) {
      throw TokenizerError(where + ": BPE \"" + key + "\" is not supported");
    }
  }
  const auto dropout = model.find("dropout");
  if (dropout != model.end() && dropout->is_number() && dropout->get<double>() > 0.0) {
    throw TokenizerError(where + ": BPE dropout is not supported (it makes encoding random)");
  }
  if (model.value("ignore_merges", false)) throw TokenizerError(where + ": BPE ignore_merges=true is not supported");

  BpeModel bpe;
  if (!tables.has_vocab || tables.vocab.empty()) throw TokenizerError(where + ": model \"vocab\" is missing or empty");
  if (!tables.bad_vocab_key.empty()) {
    throw TokenizerError(where + ": vocab entry \"" + tables.bad_vocab_key + "\" has no valid id");
  }
  std::int64_t max_id = -1;
  for (const auto& [token, id] : tables.vocab) {
    if (id < 0 || id >= (1LL << 30)) throw TokenizerError(where + ": vocab entry \"" + token + "\" has no valid id");
    max_id = std::max(max_id, id);
  }
  bpe.id_to_token_.resize(static_cast<std::size_t>(max_id) + 1);
  std::vector<bool> seen(bpe.id_to_token_.size(), false);
  bpe.token_to_id_.reserve(tables.vocab.size() * 2);
  for (auto& [token, id64] : tables.vocab) {
    const auto id = static_cast<std::int32_t>(id64);
    if (seen[static_cast<std::size_t>(id)])
      throw TokenizerError(where + ": vocab id " + std::to_string(id) + " is used twice");
    seen[static_cast<std::size_t>(id)] = true;
    bpe.token_to_id_.emplace(token, id);
    bpe.id_to_token_[static_cast<std::size_t>(id)] = std::move(token);
  }

  for (int b = 0; b < 256; ++b) {
    std::string spelled;
    utf8::append(spelled, byte_level::byte_to_char(static_cast<unsigned char>(b)));
    bpe.byte_ids_[b] = bpe.id_of(spelled);
  }

  if (!tables.has_merges) throw TokenizerError(where + ": model \"merges\" is missing");
  if (tables.bad_merge_index >= 0) {
    throw TokenizerError(where + ": merges entry " + std::to_string(tables.bad_merge_index) +
                         " is not a pair of tokens");
  }
  std::size_t table_size = 1024;
  while (table_size < tables.merges.size() * 2) table_size *= 2;
  bpe.merge_table_.assign(table_size, MergeEntry{});
  bpe.merge_mask_ = table_size - 1;
  std::string joined;
  std::int32_t rank = 0;
  for (const auto& [left, right] : tables.merges) {
    const std::int32_t left_id = bpe.id_of(left);
    const std::int32_t right_id = bpe.id_of(right);
    joined.assign(left);
    joined.append(right);
    const std::int32_t new_id = bpe.id_of(joined);
    if (left_id < 0 || right_id < 0 || new_id < 0) {
      throw TokenizerError(where + ": merges entry " + std::to_string(rank) + " (\"" + left + " " + right +
                           "\") uses a token missing from the vocabulary");
    }
    bpe.add_merge(left_id, right_id, rank, new_id);
    ++rank;
  }
  return bpe;
}

void BpeModel::add_merge(std::int32_t left, std::int32_t right, std::int32_t rank, std::int32_t new_id) {
  const std::uint64_t key = pair_key(left, right);
  for (std::uint64_t slot = mix(key) & merge_mask_;; slot = (slot + 1) & merge_mask_) {
    MergeEntry& e = merge_table_[slot];
    if (e.rank < 0) {
      e = MergeEntry{key, rank, new_id};
      return;
    }
    if (e.key == key) return;  // a repeated merge keeps its first (lowest) rank, as Hugging Face does
  }
}

const BpeModel::MergeEntry* BpeModel::find_merge(std::int32_t left, std::int32_t right) const {
  const std::uint64_t key = pair_key(left, right);
  for (std::uint64_t slot = mix(key) & merge_mask_;; slot = (slot + 1) & merge_mask_) {
    const MergeEntry& e = merge_table_[slot];
    if (e.rank < 0) return nullptr;
    if (e.key == key) return &e;
  }
}

const std::string* BpeModel::token(std::int32_t id) const {
  if (id < 0 || id >= id_limit()) return nullptr;
  const std::string& t = id_to_token_[static_cast<std::size_t>(id)];
  return t.empty() ? nullptr : &t;
}

std::int32_t BpeModel::id_of(std::string_view token) const {
  const auto it = token_to_id_.find(token);
  return it == token_to_id_.end() ? -1 : it->second;
}

void BpeModel::merge_word(std::string_view word, std::vector<std::int32_t>& out) const {
  // Symbols form a doubly linked list over positions; merged-away symbols get len 0 (tokenizers' Word).
  struct Symbol {
    std::int32_t id;
    std::int32_t prev;
    std::int32_t next;
    bool alive;
  };
  struct Candidate {
    std::int32_t rank;
    std::int32_t pos;
    std::int32_t new_id;
    bool operator<(const Candidate& o) const {  // priority_queue pops the largest: invert to get min rank, min pos
      return rank != o.rank ? rank > o.rank : pos > o.pos;
    }
  };
  thread_local std::vector<Symbol> symbols;
  thread_local std::vector<Candidate> heap;
  symbols.clear();
  for (char c : word) {
    const std::int32_t id = byte_ids_[static_cast<unsigned char>(c)];
    if (id < 0) continue;  // a byte without a token is dropped (Hugging Face without unk_token does the same)
    const auto n = static_cast<std::int32_t>(symbols.size());
    symbols.push_back({id, n - 1, n + 1, true});
  }
  if (symbols.empty()) return;
  symbols.back().next = -1;

  heap.clear();
  const auto push = [](const Candidate& c) {
    heap.push_back(c);
    std::push_heap(heap.begin(), heap.end());
  };
  for (std::size_t i = 0; i + 1 < symbols.size(); ++i) {
    if (const MergeEntry* m = find_merge(symbols[i].id, symbols[i + 1].id)) {
      push({m->rank, static_cast<std::int32_t>(i), m->new_id});
    }
  }
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end());
    const Candidate top = heap.back();
    heap.pop_back();
    Symbol& current = symbols[static_cast<std::size_t>(top.pos)];
    if (!current.alive || current.next < 0) continue;
    const std::int32_t next_pos = current.next;
    Symbol& right = symbols[static_cast<std::size_t>(next_pos)];
    // Skip entries made stale by earlier merges (the pair at this position changed).
    const MergeEntry* m = find_merge(current.id, right.id);
    if (m == nullptr || m->new_id != top.new_id) continue;
    current.id = top.new_id;
    current.next = right.next;
    right.alive = false;
    if (right.next >= 0) symbols[static_cast<std::size_t>(right.next)].prev = top.pos;
    if (current.prev >= 0) {
      if (const MergeEntry* pm = find_merge(symbols[static_cast<std::size_t>(current.prev)].id, current.id)) {
        push({pm->rank, current.prev, pm->new_id});
      }
    }
    if (current.next >= 0) {
      if (const MergeEntry* nm = find_merge(current.id, symbols[static_cast<std::size_t>(current.next)].id)) {
        push({nm->rank, top.pos, nm->new_id});
      }
    }
  }
  for (std::int32_t i = 0; i >= 0; i = symbols[static_cast<std::size_t>(i)].next) {
    out.push_back(symbols[static_cast<std::size_t>(i)].id);
  }
}

void BpeModel::encode_word(std::string_view word, std::vector<std::int32_t>& out) const {
  if (word.size() == 1) {
    const std::int32_t id = byte_ids_[static_cast<unsigned char>(word[0])];
    if (id >= 0) out.push_back(id);
    return;
  }
  const bool cacheable = word.size() <= kMaxCachedWordBytes;
  thread_local std::string key;
  if (cacheable) {
    key.assign(word);
    std::lock_guard lock(cache_mutex_);
    const auto it = cache_.find(key);
    if (it != cache_.end()) {
      out.insert(out.end(), it->second.begin(), it->second.end());
      return;
    }
  }
  const std::size_t first = out.size();
  merge_word(word, out);
  if (cacheable) {
    std::lock_guard lock(cache_mutex_);
    if (cache_.size() < kCacheCapacity)
      cache_.emplace(key, std::vector<std::int32_t>(out.begin() + static_cast<std::ptrdiff_t>(first), out.end()));
  }
}

}  // namespace r1eval::engine::tokenizer
