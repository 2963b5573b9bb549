// kernels.h's entry points: argument checks, defaults, the static OpenMP split of the work, and the call into the
// chosen variant's table.
#include <omp.h>

#include <limits>
#include <stdexcept>
#include <string>

#include "engine/kernels/cpu/kernel_table.h"
#include "engine/kernels/kernel_variants.h"

namespace r1eval::engine::kernels {
namespace {

using cpu::KernelTable;
using cpu::WeightView;

// Below this many multiply-adds a call runs on the calling thread: forking a team costs more than it saves. About
// 10-20 µs of work: decoding one token is a chain of such matmuls (the small preset's attention projections are
// 0.3-1 M multiply-adds each), and splitting them took batch-1 decode from 65 to 76 tok/s on 2 cores. Lower than
// this, a fork-join's few µs (far more when the cores are shared and a thread is descheduled) eat the gain.
constexpr std::int64_t kMinParallelWork = std::int64_t{1} << 18;

// Error messages are built only on the failure path: the checks run on every call and must not allocate.
[[noreturn]] void fail(const char* function, const std::string& detail) {
  throw std::invalid_argument(std::string(function) + ": " + detail);
}

// Built by appending: GCC 12 reports a false -Wrestrict for "literal" + std::string.
std::string shape(const WeightMatrix& w) {
  std::string text(1, '[');
  text.append(std::to_string(w.rows)).append(", ").append(std::to_string(w.cols)).append("]");
  return text;
}

const KernelTable& table_for(Variant variant, const char* function) {
  if (!variant_supported(variant)) {
    fail(function, "this CPU cannot run the " + std::string(variant_name(variant)) + " kernels.");
  }
  switch (variant) {
    case Variant::Avx512: return cpu::kAvx512Table;
    case Variant::Avx2: return cpu::kAvx2Table;
    case Variant::Scalar: break;
  }
  return cpu::kScalarTable;
}

bool known_dtype(weights::DType dtype) {
  switch (dtype) {
    case weights::DType::F32:
    case weights::DType::BF16:
    case weights::DType::F16:
    case weights::DType::F8_E4M3: return true;
  }
  return false;
}

WeightView checked_view(const WeightMatrix* w, const char* function) {
  if (w == nullptr) fail(function, "the weight matrix pointer is null.");
  if (w->rows < 0 || w->cols < 0) fail(function, "the weight matrix has a negative shape " + shape(*w) + ".");
  if (w->data == nullptr && w->rows > 0 && w->cols > 0)
    fail(function, "the weight matrix " + shape(*w) + " has no data.");
  if (!known_dtype(w->dtype)) fail(function, "the weight matrix " + shape(*w) + " has an unknown dtype.");
  WeightView view{.dtype = w->dtype,
                  .data = static_cast<const std::uint8_t*>(w->data),
                  .rows = w->rows,
                  .cols = w->cols,
                  .scale_inv = w->scale_inv,
                  .block = w->block,
                  .scale_cols = 0,
                  .bf16_pairs = w->bf16_pairs};
  if (w->bf16_pairs != nullptr && w->dtype != weights::DType::BF16) {
    fail(function, "the weight matrix " + shape(*w) + " has repacked bf16 pairs but is not BF16.");
  }
  if (w->dtype == weights::DType::F8_E4M3) {
    if (w->block <= 0) {
      fail(function, "the FP8 weight matrix " + shape(*w) + " has block size " + std::to_string(w->block) + ".");
    }
    if (w->scale_inv == nullptr && w->rows > 0 && w->cols > 0) {
      fail(function, "the FP8 weight matrix " + shape(*w) + " has no scale_inv.");
    }
    view.scale_cols = (w->cols + w->block - 1) / w->block;
  }
  return view;
}

// Resolves a [begin, end) range over the matrix's rows (end == -1 means all rows).
void check_range(std::int64_t begin, std::int64_t& end, const WeightMatrix& w, const char* function) {
  if (end == -1) end = w.rows;
  if (begin < 0 || end < begin || end > w.rows) {
    fail(function, "row range [" + std::to_string(begin) + ", " + std::to_string(end) +
                       ") is outside the weight matrix " + shape(w) + ".");
  }
}

void check_operands(const float* x, const float* y, std::int64_t m, std::int64_t ldx, std::int64_t x_len,
                    std::int64_t ldy, std::int64_t y_len, const char* function) {
  if (m < 0) fail(function, "m = " + std::to_string(m) + " is negative.");
  if (m > 0 && (x == nullptr || y == nullptr)) fail(function, "the input or output pointer is null.");
  if (ldx < x_len) {
    fail(function, "ldx = " + std::to_string(ldx) + " is smaller than the input length " + std::to_string(x_len) + ".");
  }
  if (ldy < y_len) {
    fail(function,
         "ldy = " + std::to_string(ldy) + " is smaller than the output length " + std::to_string(y_len) + ".");
  }
}

// Splits [begin, end) into one contiguous piece per thread, in multiples of 'granule' (any split gives the same
// results: see the determinism contract in kernels.h).
template <class Fn>
void split_across_threads(std::int64_t begin, std::int64_t end, std::int64_t granule, std::int64_t work, const Fn& fn) {
  const std::int64_t granules = (end - begin + granule - 1) / granule;
  std::int64_t threads = work >= kMinParallelWork && !omp_in_parallel() ? omp_get_max_threads() : 1;
  threads = threads < granules ? threads : granules;
  if (threads <= 1) {
    if (end > begin) fn(begin, end);
    return;
  }
#pragma omp parallel num_threads(static_cast<int>(threads))
  {
    const std::int64_t t = omp_get_thread_num();
    const std::int64_t n = omp_get_num_threads();
    const std::int64_t piece_begin = begin + granules * t / n * granule;
    std::int64_t piece_end = begin + granules * (t + 1) / n * granule;
    piece_end = piece_end < end ? piece_end : end;
    if (piece_end > piece_begin) fn(piece_begin, piece_end);
  }
}

}  // namespace

void matmul(const MatmulArgs& args, Variant variant) {
  constexpr const char* kName = "matmul";
  const KernelTable& table = table_for(variant, kName);
  const WeightView w = checked_view(args.w, kName);
  std::int64_t row_end = args.row_end;
  check_range(args.row_begin, row_end, *args.w, kName);
  const std::int64_t out_len = row_end - args.row_begin;
  const std::int64_t ldx = args.ldx == 0 ? w.cols : args.ldx;
  const std::int64_t ldy = args.ldy == 0 ? out_len : args.ldy;
  check_operands(args.x, args.y, args.m, ldx, w.cols, ldy, out_len, kName);
  if (args.m == 0 || out_len == 0) return;
  const bool bf16_inputs = args.inputs == MatmulInputs::Bfloat16;
  const cpu::MatmulJob job{.w = w, .x = args.x, .m = args.m, .ldx = ldx, .y = args.y, .ldy = ldy,
                           .row_begin = args.row_begin, .bf16_inputs = bf16_inputs};
  const bool bf16_weights = w.dtype == weights::DType::BF16 || w.dtype == weights::DType::F8_E4M3;
  const bool bf16_dots = bf16_inputs && bf16_weights && table.matmul_rows_bf16_dot != nullptr &&
                         bf16_dot_products_supported(variant);
  const bool pairs = bf16_dots && w.bf16_pairs != nullptr;
  const auto rows = pairs ? table.matmul_rows_bf16_pairs : bf16_dots ? table.matmul_rows_bf16_dot : table.matmul_rows;
  // Repacked rows come in blocks of 32 (Bf16Pairs): pieces of whole blocks compute no row twice.
  split_across_threads(args.row_begin, row_end, pairs ? 32 : 8, args.m * out_len * (w.cols > 0 ? w.cols : 1),
                       [&](std::int64_t r0, std::int64_t r1) { rows(job, r0, r1); });
}

void matmul_transposed(const MatmulTransposedArgs& args, Variant variant) {
  constexpr const char* kName = "matmul_transposed";
  const KernelTable& table = table_for(variant, kName);
  const WeightView w = checked_view(args.w, kName);
  std::int64_t band_end = args.row_end;
  check_range(args.row_begin, band_end, *args.w, kName);
  const std::int64_t band = band_end - args.row_begin;
  const std::int64_t ldx = args.ldx == 0 ? band : args.ldx;
  const std::int64_t ldy = args.ldy == 0 ? w.cols : args.ldy;
  check_operands(args.x, args.y, args.m, ldx, band, ldy, w.cols, kName);
  if (args.m == 0 || w.cols == 0) return;
  const cpu::TransposedJob job{.w = w, .x = args.x, .m = args.m, .ldx = ldx, .y = args.y, .ldy = ldy,
                               .band_begin = args.row_begin, .band_end = band_end};
  split_across_threads(0, w.cols, 32, args.m * w.cols * (band > 0 ? band : 1),
                       [&](std::int64_t c0, std::int64_t c1) { table.matmul_transposed_cols(job, c0, c1); });
}

void dequantize_row(const WeightMatrix& w, std::int64_t row, float* out, Variant variant) {
  constexpr const char* kName = "dequantize_row";
  const KernelTable& table = table_for(variant, kName);
  const WeightView view = checked_view(&w, kName);
  if (row < 0 || row >= view.rows)
    fail(kName, "row " + std::to_string(row) + " is outside the weight matrix " + shape(w) + ".");
  if (out == nullptr && view.cols > 0) fail(kName, "the output pointer is null.");
  table.dequantize_row(view, row, out);
}

float dot(const float* a, const float* b, std::int64_t n, Variant variant) {
  return n <= 0 ? 0.0f : table_for(variant, "dot").dot(a, b, n);
}

void axpy(float alpha, const float* x, float* y, std::int64_t n, Variant variant) {
  if (n > 0) table_for(variant, "axpy").axpy(alpha, x, y, n);
}

void rms_norm(const float* x, const float* weight, float eps, std::int64_t n, float* out, Variant variant) {
  if (n > 0) table_for(variant, "rms_norm").rms_norm(x, weight, eps, n, out);
}

void silu_mul(const float* gate, const float* up, std::int64_t n, float* out, Variant variant) {
  if (n > 0) table_for(variant, "silu_mul").silu_mul(gate, up, n, out);
}

SoftmaxNumerators softmax_numerators(float* x, std::int64_t n, Variant variant) {
  if (n <= 0) return {-std::numeric_limits<float>::infinity(), 0.0f};
  return table_for(variant, "softmax_numerators").softmax_numerators(x, n);
}

void matmul(const MatmulArgs& args) { matmul(args, active_variant()); }
void matmul_transposed(const MatmulTransposedArgs& args) { matmul_transposed(args, active_variant()); }
void dequantize_row(const WeightMatrix& w, std::int64_t row, float* out) {
  dequantize_row(w, row, out, active_variant());
}
float dot(const float* a, const float* b, std::int64_t n) { return dot(a, b, n, active_variant()); }
void axpy(float alpha, const float* x, float* y, std::int64_t n) { axpy(alpha, x, y, n, active_variant()); }
void rms_norm(const float* x, const float* weight, float eps, std::int64_t n, float* out) {
  rms_norm(x, weight, eps, n, out, active_variant());
}
void silu_mul(const float* gate, const float* up, std::int64_t n, float* out) {
  silu_mul(gate, up, n, out, active_variant());
}
SoftmaxNumerators softmax_numerators(float* x, std::int64_t n) { return softmax_numerators(x, n, active_variant()); }

}  // namespace r1eval::engine::kernels
