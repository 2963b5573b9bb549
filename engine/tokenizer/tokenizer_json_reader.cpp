#include "engine/tokenizer/tokenizer_json_reader.h"

#include "engine/tokenizer/tokenizer_error.h"

namespace r1eval::engine::tokenizer {
namespace {

using Json = nlohmann::json;

class Handler {
 public:
  explicit Handler(TokenizerJson& out) : out_(out), dom_(out.rest) {}

  bool null() { return value([&] { return dom_.null(); }); }
  bool boolean(bool v) { return value([&] { return dom_.boolean(v); }); }
  bool number_integer(Json::number_integer_t v) {
    if (mode_ == Mode::kVocab && depth_ == 1) {
      out_.tables.vocab.emplace_back(std::move(key_), v);
      return true;
    }
    return value([&] { return dom_.number_integer(v); });
  }
  bool number_unsigned(Json::number_unsigned_t v) {
    if (mode_ == Mode::kVocab && depth_ == 1) {
      out_.tables.vocab.emplace_back(std::move(key_), static_cast<std::int64_t>(v));
      return true;
    }
    return value([&] { return dom_.number_unsigned(v); });
  }
  bool number_float(Json::number_float_t v, const Json::string_t& s) {
    return value([&] { return dom_.number_float(v, s); });
  }
  bool binary(Json::binary_t& v) { return value([&] { return dom_.binary(v); }); }
  bool string(Json::string_t& s) {
    if (mode_ == Mode::kMerges && depth_ == 1) {
      const std::size_t space = s.find(' ');
      if (space == std::string::npos || s.find(' ', space + 1) != std::string::npos) {
        bad_merge();
      } else {
        out_.tables.merges.emplace_back(s.substr(0, space), s.substr(space + 1));
      }
      return true;
    }
    if (mode_ == Mode::kMerges && depth_ == 2) {
      pair_.push_back(std::move(s));
      return true;
    }
    return value([&] { return dom_.string(s); });
  }

  bool start_object(std::size_t n) {
    if (mode_ == Mode::kVocabPending) {
      mode_ = Mode::kVocab;
      depth_ = 1;
      out_.tables.has_vocab = true;
      return true;
    }
    if (mode_ != Mode::kNormal) return enter_unexpected();
    containers_.push_back(std::move(key_));
    key_.clear();
    return dom_.start_object(n);
  }
  bool key(Json::string_t& k) {
    if (mode_ == Mode::kVocab && depth_ == 1) {
      key_ = std::move(k);
      return true;
    }
    if (mode_ != Mode::kNormal) return true;
    if (containers_.size() == 2 && containers_[1] == "model" && (k == "vocab" || k == "merges")) {
      mode_ = k == "vocab" ? Mode::kVocabPending : Mode::kMergesPending;
      return true;
    }
    key_ = k;
    return dom_.key(k);
  }
  bool end_object() {
    if (mode_ == Mode::kNormal) {
      containers_.pop_back();
      return dom_.end_object();
    }
    return leave();
  }
  bool start_array(std::size_t n) {
    if (mode_ == Mode::kMergesPending) {
      mode_ = Mode::kMerges;
      depth_ = 1;
      out_.tables.has_merges = true;
      return true;
    }
    if (mode_ == Mode::kMerges && depth_ == 1) {
      depth_ = 2;
      pair_.clear();
      return true;
    }
    if (mode_ != Mode::kNormal) return enter_unexpected();
    containers_.push_back(std::move(key_));
    key_.clear();
    return dom_.start_array(n);
  }
  bool end_array() {
    if (mode_ == Mode::kNormal) {
      containers_.pop_back();
      return dom_.end_array();
    }
    if (mode_ == Mode::kMerges && depth_ == 2) {
      if (pair_.size() == 2) {
        out_.tables.merges.emplace_back(std::move(pair_[0]), std::move(pair_[1]));
      } else {
        bad_merge();
      }
      depth_ = 1;
      return true;
    }
    return leave();
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) {
    error_ = e.what();
    return false;
  }

  const std::string& error() const { return error_; }

 private:
  enum class Mode { kNormal, kVocabPending, kVocab, kMergesPending, kMerges };

  // A scalar value: forwarded to the tree, or (inside vocab/merges) recorded as malformed.
  template <typename F>
  bool value(F&& forward) {
    switch (mode_) {
      case Mode::kNormal: return forward();
      case Mode::kVocabPending:
      case Mode::kMergesPending: mode_ = Mode::kNormal; return true;  // not an object/array: treated as absent
      case Mode::kVocab:
        if (out_.tables.bad_vocab_key.empty()) out_.tables.bad_vocab_key = key_.empty() ? "?" : key_;
        return true;
      case Mode::kMerges: bad_merge(); return true;
    }
    return true;
  }
  void bad_merge() {
    if (out_.tables.bad_merge_index < 0)
      out_.tables.bad_merge_index = static_cast<std::int64_t>(out_.tables.merges.size());
  }
  // A container nested where only scalars (or merge pairs) belong: skipped, and recorded as malformed.
  bool enter_unexpected() {
    if (mode_ == Mode::kVocabPending || mode_ == Mode::kMergesPending) {
      mode_ = mode_ == Mode::kVocabPending ? Mode::kVocab : Mode::kMerges;
      depth_ = 0;
    }
    if (mode_ == Mode::kVocab && out_.tables.bad_vocab_key.empty())
      out_.tables.bad_vocab_key = key_.empty() ? "?" : key_;
    if (mode_ == Mode::kMerges) bad_merge();
    ++depth_;
    return true;
  }
  bool leave() {
    if (--depth_ <= 0 || (mode_ == Mode::kMerges && depth_ == 0)) mode_ = Mode::kNormal;
    return true;
  }

  TokenizerJson& out_;
  nlohmann::detail::json_sax_dom_parser<Json> dom_;
  std::vector<std::string> containers_;  // the key under which each open container sits
  std::string key_;
  std::vector<std::string> pair_;
  Mode mode_ = Mode::kNormal;
  int depth_ = 0;
  std::string error_;
};

}  // namespace

TokenizerJson read_tokenizer_json(std::string_view text, const std::string& name) {
  TokenizerJson result;
  Handler handler(result);
  bool ok = false;
  try {
    ok = Json::sax_parse(text, &handler);
  } catch (const nlohmann::json::exception& e) {
    throw TokenizerError(name + " is not valid JSON (" + e.what() + ")");
  }
  if (!ok) throw TokenizerError(name + " is not valid JSON (" + handler.error() + ")");
  return result;
}

}  // namespace r1eval::engine::tokenizer
