#include "engine/tokenizer/added_tokens.h"

#include <algorithm>
#include <cstring>

namespace r1eval::engine::tokenizer {

void AddedTokenMatcher::Trie::insert(std::string_view s, std::int32_t id) {
  if (s.empty()) return;  // an empty added token can never match
  empty = false;
  first_byte[static_cast<unsigned char>(s[0])] = true;
  std::int32_t node = 0;
  for (char c : s) {
    const auto b = static_cast<unsigned char>(c);
    auto& children = nodes[static_cast<std::size_t>(node)].children;
    auto it = std::lower_bound(children.begin(), children.end(), b,
                               [](const auto& child, unsigned char key) { return child.first < key; });
    if (it != children.end() && it->first == b) {
      node = it->second;
    } else {
      const auto child = static_cast<std::int32_t>(nodes.size());
      children.insert(it, {b, child});
      nodes.emplace_back();
      node = child;
    }
  }
  // Hugging Face keeps the last definition when two added tokens share a content string.
  nodes[static_cast<std::size_t>(node)].token_id = id;
}

std::size_t AddedTokenMatcher::Trie::longest_at(std::string_view text, std::size_t pos, std::int32_t& id) const {
  std::size_t best = 0;
  std::int32_t node = 0;
  for (std::size_t i = pos; i < text.size(); ++i) {
    const auto b = static_cast<unsigned char>(text[i]);
    const auto& children = nodes[static_cast<std::size_t>(node)].children;
    auto it = std::lower_bound(children.begin(), children.end(), b,
                               [](const auto& child, unsigned char key) { return child.first < key; });
    if (it == children.end() || it->first != b) break;
    node = it->second;
    if (nodes[static_cast<std::size_t>(node)].token_id >= 0) {
      best = i + 1 - pos;
      id = nodes[static_cast<std::size_t>(node)].token_id;
    }
  }
  return best;
}

AddedTokenMatcher::AddedTokenMatcher(const std::vector<AddedToken>& tokens) {
  for (const auto& token : tokens) (token.normalized ? normalized_ : unnormalized_).insert(token.content, token.id);
}

void AddedTokenMatcher::split_pass(const Trie& trie, std::string_view text, std::vector<Segment>& out) {
  if (trie.empty) {
    if (!text.empty()) out.push_back({text, -1});
    return;
  }
  std::size_t plain_start = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (!trie.first_byte[static_cast<unsigned char>(text[pos])]) {
      ++pos;
      continue;
    }
    std::int32_t id = -1;
    const std::size_t len = trie.longest_at(text, pos, id);
    if (len == 0) {
      ++pos;
      continue;
    }
    if (pos > plain_start) out.push_back({text.substr(plain_start, pos - plain_start), -1});
    out.push_back({text.substr(pos, len), id});
    pos += len;
    plain_start = pos;
  }
  if (plain_start < text.size()) out.push_back({text.substr(plain_start), -1});
}

void AddedTokenMatcher::split(std::string_view text, std::vector<Segment>& out) const {
  if (normalized_.empty) {
    split_pass(unnormalized_, text, out);
    return;
  }
  std::vector<Segment> first;
  split_pass(unnormalized_, text, first);
  for (const auto& segment : first) {
    if (segment.token_id >= 0) {
      out.push_back(segment);
    } else {
      split_pass(normalized_, segment.text, out);
    }
  }
}

}  // namespace r1eval::engine::tokenizer
