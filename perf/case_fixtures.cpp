#include "perf/case_fixtures.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "engine/kernels/kernels.h"
#include "engine/kernels/latent_attention.h"
#include "engine/model/rope.h"
#include "engine/model/router.h"
#include "engine/model/sampler.h"
#include "engine/tokenizer/tokenizer.h"

namespace r1eval::perf {
namespace {

using engine::weights::DType;

class MatmulFixture final : public PreparedCase {
 public:
  MatmulFixture(const MatmulCase& p, WeightPool& pool, int copies)
      : x_(synthetic_floats(p.m * p.in, 1)), y_(static_cast<std::size_t>(p.m * p.out)) {
    for (int i = 0; i < copies; ++i) w_.push_back(pool.get({p.dtype, p.out, p.in, i}));
    args_.x = x_.data();
    args_.m = p.m;
    args_.y = y_.data();
  }
  void run() override {
    args_.w = &w_[next_]->view();
    next_ = (next_ + 1) % w_.size();
    engine::kernels::matmul(args_);
  }
  bool weights_rotate() const override { return w_.size() > 1; }

 private:
  std::vector<std::shared_ptr<const SyntheticMatrix>> w_;
  std::size_t next_ = 0;
  std::vector<float> x_, y_;
  engine::kernels::MatmulArgs args_;
};

// The engine's SwiGLU expert (model.cpp's mlp) through the public kernels.
class ExpertFfnFixture final : public PreparedCase {
 public:
  ExpertFfnFixture(const ExpertFfnCase& p, WeightPool& pool, int copies)
      : p_(p), x_(synthetic_floats(p.m * p.hidden, 2)), gate_(static_cast<std::size_t>(p.m * p.width)),
        up_(gate_.size()), y_(static_cast<std::size_t>(p.m * p.hidden)) {
    for (int i = 0; i < copies; ++i) {
      experts_.push_back({pool.get({p.dtype, p.width, p.hidden, 2 * i}),
                          pool.get({p.dtype, p.width, p.hidden, 2 * i + 1}),
                          pool.get({p.dtype, p.hidden, p.width, i})});
    }
  }
  void run() override {
    const Expert& e = experts_[next_];
    next_ = (next_ + 1) % experts_.size();
    linear(e.gate->view(), x_.data(), gate_.data());
    linear(e.up->view(), x_.data(), up_.data());
    engine::kernels::silu_mul(gate_.data(), up_.data(), p_.m * p_.width, gate_.data());
    linear(e.down->view(), gate_.data(), y_.data());
  }
  bool weights_rotate() const override { return experts_.size() > 1; }

 private:
  struct Expert {
    std::shared_ptr<const SyntheticMatrix> gate, up, down;
  };
  void linear(const engine::kernels::WeightMatrix& w, const float* x, float* y) const {
    engine::kernels::MatmulArgs args;
    args.w = &w;
    args.x = x;
    args.m = p_.m;
    args.y = y;
    engine::kernels::matmul(args);
  }
  ExpertFfnCase p_;
  std::vector<Expert> experts_;
  std::size_t next_ = 0;
  std::vector<float> x_, gate_, up_, y_;
};

class RmsNormFixture final : public PreparedCase {
 public:
  explicit RmsNormFixture(const RmsNormCase& p)
      : p_(p), x_(synthetic_floats(p.rows * p.width, 3)), weight_(synthetic_floats(p.width, 4)),
        out_(x_.size()) {}
  void run() override {
    for (std::int64_t r = 0; r < p_.rows; ++r) {
      engine::kernels::rms_norm(x_.data() + r * p_.width, weight_.data(), 1e-6f, p_.width, out_.data() + r * p_.width);
    }
  }

 private:
  RmsNormCase p_;
  std::vector<float> x_, weight_, out_;
};

class RopeFixture final : public PreparedCase {
 public:
  explicit RopeFixture(const RopeCase& p)
      : rope_(p.config), tokens_(p.tokens), vectors_per_token_(p.config.num_attention_heads + 1),
        dim_(rope_.dim()), values_(synthetic_floats(p.tokens * vectors_per_token_ * dim_, 5)),
        cos_sin_(static_cast<std::size_t>(p.tokens * dim_)) {
    for (std::int64_t t = 0; t < tokens_; ++t) rope_.rotation(1000 + t, cos_sin_.data() + t * dim_);
  }
  void run() override {
    for (std::int64_t t = 0; t < tokens_; ++t) {
      for (std::int64_t v = 0; v < vectors_per_token_; ++v) {
        rope_.apply(values_.data() + (t * vectors_per_token_ + v) * dim_, cos_sin_.data() + t * dim_);
      }
    }
  }

 private:
  engine::model::Rope rope_;
  std::int64_t tokens_, vectors_per_token_, dim_;
  std::vector<float> values_;
  std::vector<double> cos_sin_;
};

class MoeRoutingFixture final : public PreparedCase {
 public:
  explicit MoeRoutingFixture(const MoeRoutingCase& p)
      : params_(engine::model::RouterParams::from_config(p.config)),
        tokens_(p.tokens),
        logits_(synthetic_floats(p.tokens * params_.n_experts, 6, 4.0f)),
        bias_(synthetic_floats(params_.n_experts, 7, 0.15f)),
        experts_(static_cast<std::size_t>(p.tokens * params_.top_k)),
        weights_(experts_.size()),
        scratch_(static_cast<std::size_t>(2 * params_.n_experts + params_.n_group)) {
    for (float& b : bias_) b = std::abs(b);  // the correction bias is non-negative (MODEL.md §5.6)
  }
  void run() override {
    for (std::int64_t t = 0; t < tokens_; ++t) {
      engine::model::route_token(params_, logits_.data() + t * params_.n_experts, bias_.data(),
                                 experts_.data() + t * params_.top_k, weights_.data() + t * params_.top_k, scratch_);
    }
  }

 private:
  engine::model::RouterParams params_;
  std::int64_t tokens_;
  std::vector<float> logits_, bias_;
  std::vector<std::int32_t> experts_;
  std::vector<float> weights_, scratch_;
};

class TopPSamplingFixture final : public PreparedCase {
 public:
  explicit TopPSamplingFixture(const TopPSamplingCase& p)
      : vocab_(p.vocab), logits_(synthetic_floats(p.vocab, 8, 8.0f)),
        params_{.temperature = p.temperature, .top_p = p.top_p, .top_k = 0, .seed = 1} {}
  void run() override { sink_ += sampler_.sample(logits_.data(), vocab_, params_, 0, step_++); }

 private:
  std::int64_t vocab_;
  std::vector<float> logits_;
  engine::model::SamplingParams params_;
  engine::model::Sampler sampler_;
  std::uint64_t step_ = 0;
  std::int64_t sink_ = 0;
};

// One decode token's heads against `context` cached latents of one layer (random values: the time does not depend
// on them).
class MlaDecodeAttentionFixture final : public PreparedCase {
 public:
  explicit MlaDecodeAttentionFixture(const MlaDecodeAttentionCase& p)
      : heads_(p.config.num_attention_heads),
        width_(p.config.kv_lora_rank + p.config.qk_rope_head_dim),
        positions_(p.context),
        queries_(synthetic_floats(heads_ * width_, 9, 1.0f)),
        cache_(synthetic_floats(positions_ * width_, 10, 1.0f)),
        scratch_(
            static_cast<std::size_t>(engine::kernels::latent_attention_scratch_floats(heads_, positions_, width_))),
        out_(static_cast<std::size_t>(heads_ * width_)) {}
  void run() override {
    engine::kernels::latent_attention({queries_.data(), heads_, cache_.data(), positions_, width_, 0.05f,
                                       scratch_.data(), out_.data(), static_cast<std::int64_t>(scratch_.size())});
  }

 private:
  std::int64_t heads_, width_, positions_;
  std::vector<float> queries_, cache_, scratch_, out_;
};

class TokenizerEncodeFixture final : public PreparedCase {
 public:
  TokenizerEncodeFixture(const TokenizerEncodeCase& p, const engine::tokenizer::Tokenizer& tok)
      : tokenizer_(tok), text_(sample_text(p.text_bytes)) {
    ids_.reserve(text_.size());
  }
  void run() override {
    ids_.clear();
    tokenizer_.encode(text_, ids_);
  }

 private:
  const engine::tokenizer::Tokenizer& tokenizer_;
  std::string text_;
  std::vector<std::int32_t> ids_;
};

}  // namespace

int weight_copies(const KernelCase& c, std::int64_t llc_bytes) {
  double bytes = 0.0;
  if (const auto* p = std::get_if<MatmulCase>(&c.params)) bytes = weight_bytes(p->dtype, p->out, p->in);
  if (const auto* p = std::get_if<ExpertFfnCase>(&c.params)) bytes = 3.0 * weight_bytes(p->dtype, p->width, p->hidden);
  if (bytes <= 0.0) return 1;
  const double copies = std::ceil(3.0 * static_cast<double>(std::max<std::int64_t>(llc_bytes, 1)) / bytes);
  return static_cast<int>(std::clamp(copies, 1.0, 256.0));
}

std::vector<WeightPool::Key> weight_keys(const KernelCase& c, std::int64_t llc_bytes) {
  const int copies = weight_copies(c, llc_bytes);
  std::vector<WeightPool::Key> keys;
  for (int i = 0; i < copies; ++i) {
    if (const auto* p = std::get_if<MatmulCase>(&c.params)) keys.emplace_back(p->dtype, p->out, p->in, i);
    if (const auto* p = std::get_if<ExpertFfnCase>(&c.params)) {
      keys.emplace_back(p->dtype, p->width, p->hidden, 2 * i);
      keys.emplace_back(p->dtype, p->width, p->hidden, 2 * i + 1);
      keys.emplace_back(p->dtype, p->hidden, p->width, i);
    }
  }
  return keys;
}

std::unique_ptr<PreparedCase> prepare_case(const KernelCase& c, const CaseResources& resources) {
  if ((std::holds_alternative<MatmulCase>(c.params) || std::holds_alternative<ExpertFfnCase>(c.params)) &&
      resources.weights == nullptr) {
    throw std::invalid_argument("benchmark case " + shape_name(c) + " needs a weight pool");
  }
  const int copies = weight_copies(c, resources.llc_bytes);
  if (const auto* p = std::get_if<MatmulCase>(&c.params)) {
    return std::make_unique<MatmulFixture>(*p, *resources.weights, copies);
  }
  if (const auto* p = std::get_if<ExpertFfnCase>(&c.params)) {
    return std::make_unique<ExpertFfnFixture>(*p, *resources.weights, copies);
  }
  if (const auto* p = std::get_if<RmsNormCase>(&c.params)) return std::make_unique<RmsNormFixture>(*p);
  if (const auto* p = std::get_if<RopeCase>(&c.params)) return std::make_unique<RopeFixture>(*p);
  if (const auto* p = std::get_if<MoeRoutingCase>(&c.params)) return std::make_unique<MoeRoutingFixture>(*p);
  if (const auto* p = std::get_if<TopPSamplingCase>(&c.params)) return std::make_unique<TopPSamplingFixture>(*p);
  if (const auto* p = std::get_if<MlaDecodeAttentionCase>(&c.params)) {
    return std::make_unique<MlaDecodeAttentionFixture>(*p);
  }
  if (const auto* p = std::get_if<TokenizerEncodeCase>(&c.params)) {
    if (resources.tokenizer == nullptr) {
      throw std::invalid_argument("tokenizer_encode needs a tokenizer (none in the model directory or bundled)");
    }
    return std::make_unique<TokenizerEncodeFixture>(*p, *resources.tokenizer);
  }
  throw std::invalid_argument("no fixture for kernel " + kernel_name(c));
}

std::string sample_text(std::int64_t bytes) {
  static constexpr std::string_view kParagraph =
      "The harness samples several answers per problem and grades each one. Let x = 3.75 and y = -12; then "
      "x * y = -45.0, and (x + y)^2 = 68.0625. "
      "def solve(n):\n    return sum(i * i for i in range(n)) % 1000000007\n"
      "深度求索的推理模型先思考，再回答。数学题的答案写在方框里：\\boxed{42}。 "
      "Tokens like <think>, URLs like https://example.org/a?b=c&d=e, and numbers 1234567890 all appear.\n";
  std::string text;
  text.reserve(static_cast<std::size_t>(bytes) + kParagraph.size());
  while (static_cast<std::int64_t>(text.size()) < bytes) text += kParagraph;
  std::size_t end = static_cast<std::size_t>(std::max<std::int64_t>(bytes, 0));
  if (end < text.size()) {
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0u) == 0x80u) --end;  // not inside a character
  }
  text.resize(std::min(end, text.size()));
  return text;
}

}  // namespace r1eval::perf
