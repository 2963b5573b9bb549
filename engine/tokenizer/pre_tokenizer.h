// Hugging Face pre-tokenizers that DeepSeek (and GPT-2-style) tokenizer.json files use: a Sequence of Split steps
// (regex or literal pattern, "Isolated" or "Removed" behaviour) and a ByteLevel step, run with re2.
//
// The patterns are written for Oniguruma, which differs from re2 in two ways that matter here:
//  - `\s` / `\S` are Unicode White_Space there but ASCII-only in re2, so they are rewritten to explicit classes
//    (likewise `\d` -> \p{Nd} and `\w`);
//  - re2 has no lookahead. The one lookahead these files use, the alternation `\s+(?!\S)|\s+`, is emulated: it is
//    rewritten to a capture group `(\s+)`, and a run matched by that group that is followed by a non-space
//    character gives its last whitespace character back, exactly as `\s+(?!\S)` would by backtracking.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace re2 {
class RE2;
}

namespace r1eval::engine::tokenizer {

class DeepSeekPreTokenizer;

// Rewrites an Oniguruma pattern into an equivalent re2 pattern (see above). Sets `whitespace_lookahead` when the
// `\s+(?!\S)|\s+` alternation was turned into capture group 1. Throws TokenizerError for other lookarounds.
std::string onig_to_re2(std::string_view pattern, bool& whitespace_lookahead, const std::string& where);

class PreTokenizer {
 public:
  // `spec` is tokenizer.json's "pre_tokenizer" value (null allowed); `where` names the file for error messages.
  static PreTokenizer from_json(const nlohmann::json& spec, const std::string& where);

  PreTokenizer();
  ~PreTokenizer();
  PreTokenizer(PreTokenizer&&) noexcept;
  PreTokenizer& operator=(PreTokenizer&&) noexcept;

  // Splits text into consecutive pieces (views into text). With only Isolated steps, the pieces concatenate
  // back to text. `scratch` is reused working memory.
  void split(std::string_view text, std::vector<std::string_view>& out,
             std::vector<std::string_view>& scratch) const;
  // The same through re2 only, even when the hand-written DeepSeek splitter applies (tests compare the two).
  void split_with_re2(std::string_view text, std::vector<std::string_view>& out,
                      std::vector<std::string_view>& scratch) const;
  // True when the steps are exactly DeepSeek-V3's and the hand-written splitter is used.
  bool uses_deepseek_splitter() const { return deepseek_ != nullptr; }

  // True when a ByteLevel step (or nothing at all) maps bytes to the byte-level alphabet, as BPE then expects.
  bool byte_level() const { return byte_level_; }

  struct Step;  // one compiled Split step (defined in the .cpp)

 private:
  void split_one(const Step& step, std::string_view piece, std::vector<std::string_view>& out) const;

  std::vector<std::unique_ptr<Step>> steps_;
  bool byte_level_ = false;
  std::unique_ptr<DeepSeekPreTokenizer> deepseek_;
};

}  // namespace r1eval::engine::tokenizer
