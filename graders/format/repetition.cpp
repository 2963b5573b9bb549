#include "graders/format/repetition.h"

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_set>
#include <vector>

namespace r1eval::graders::format {
namespace {

constexpr std::size_t kNgram = 8;
constexpr std::size_t kMaxPeriod = 2000;   // bytes; longer cycles are rare and costly to search
constexpr std::size_t kMinRepeats = 3;
constexpr std::size_t kMinLoopBytes = 60;  // "....." or "\n\n\n" alone is not a degenerate loop

std::vector<std::string_view> words_of(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\n' || text[i] == '\t' || text[i] == '\r')) ++i;
    const std::size_t start = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\n' && text[i] != '\t' && text[i] != '\r') ++i;
    if (i > start) words.push_back(text.substr(start, i - start));
  }
  return words;
}

}  // namespace

Repetition measure_repetition(std::string_view text) {
  Repetition r;
  const std::vector<std::string_view> words = words_of(text);
  if (words.size() >= kNgram) {
    // 8-grams as 64-bit hashes of their words' hashes: no per-gram allocation; a collision (about 2^-64 per pair)
    // could only lower the share slightly.
    std::vector<std::uint64_t> word_hashes(words.size());
    for (std::size_t i = 0; i < words.size(); ++i) word_hashes[i] = std::hash<std::string_view>{}(words[i]);
    std::unordered_set<std::uint64_t> seen;
    const std::size_t total = words.size() - kNgram + 1;
    seen.reserve(total);
    for (std::size_t i = 0; i < total; ++i) {
      std::uint64_t h = 0xcbf29ce484222325ull;
      for (std::size_t k = 0; k < kNgram; ++k) h = (h ^ word_hashes[i + k]) * 0x100000001b3ull + (h >> 29);
      seen.insert(h);
    }
    r.duplicate_ngram_share = 1.0 - static_cast<double>(seen.size()) / static_cast<double>(total);
  }
  // Smallest period p whose last kMinRepeats copies match, then how far back the cycle extends.
  const std::size_t n = text.size();
  for (std::size_t p = 1; p <= kMaxPeriod && p * kMinRepeats <= n; ++p) {
    bool periodic = true;
    for (std::size_t i = n - p * kMinRepeats; i + p < n && periodic; ++i) periodic = text[i] == text[i + p];
    if (!periodic) continue;
    std::size_t start = n - p * kMinRepeats;
    while (start > 0 && text[start - 1] == text[start - 1 + p]) --start;
    if (n - start < kMinLoopBytes) continue;
    r.looping_tail = true;
    r.loop_period = p;
    r.loop_bytes = n - start;
    break;
  }
  return r;
}

}  // namespace r1eval::graders::format
