// Finds added tokens (e.g. "<｜User｜>", "<think>") in raw text before pre-tokenization, the way Hugging Face's
// AddedVocabulary does: leftmost-longest matching, first over the tokens with normalized=false ("special" ones
// in DeepSeek's file), then over the normalized=true tokens inside the text that remains between those matches.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace r1eval::engine::tokenizer {

struct AddedToken {
  std::int32_t id = 0;
  std::string content;
  bool special = false;     // dropped by decode(skip_special_tokens)
  bool normalized = false;  // matched after normalization (our normalizer is the identity) in the second pass
};

// One piece of the input: either plain text (token_id < 0) or one added token.
struct Segment {
  std::string_view text;
  std::int32_t token_id = -1;
};

class AddedTokenMatcher {
 public:
  AddedTokenMatcher() = default;
  explicit AddedTokenMatcher(const std::vector<AddedToken>& tokens);

  // Splits text into segments, in order; concatenating all segment texts gives text back.
  void split(std::string_view text, std::vector<Segment>& out) const;

 private:
  // A byte trie for one pass. Node 0 is the root; token_id >= 0 marks the end of a token.
  struct Trie {
    struct Node {
      std::int32_t token_id = -1;
      std::vector<std::pair<unsigned char, std::int32_t>> children;  // sorted by byte
    };
    std::vector<Node> nodes{Node{}};
    bool first_byte[256] = {};
    bool empty = true;

    void insert(std::string_view s, std::int32_t id);
    // Longest token starting at text[pos]: returns its length (0 if none) and sets id.
    std::size_t longest_at(std::string_view text, std::size_t pos, std::int32_t& id) const;
  };

  static void split_pass(const Trie& trie, std::string_view text, std::vector<Segment>& out);

  Trie unnormalized_;
  Trie normalized_;
};

}  // namespace r1eval::engine::tokenizer
