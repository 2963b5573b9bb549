// Turns an extracted answer into a canonical plain-LaTeX string that the parser reads. Purely textual and
// value-preserving except for the decorations answers carry: \text{} units, degrees, percent, currency,
// thousands separators, spacing commands, \left/\right, display fractions, trailing punctuation.
#pragma once

#include <string>
#include <string_view>

namespace r1eval::graders::math {

struct NormalizedAnswer {
  std::string text;
  bool percent = false;  // the answer carried a % sign (removed from text); see answers_equivalent
};

NormalizedAnswer normalize_answer(std::string_view raw);

// True when the normalized text is words rather than mathematics (a run of three or more letters that is not a
// command): "Monday", "odd", "MAKE". Such answers are compared as text, case- and space-insensitively.
bool looks_like_words(std::string_view normalized);

// Lower-cased, without spaces, one-character groups unbraced: the key for text comparison.
std::string text_key(std::string_view normalized);

// The multiple-choice letter of an answer: "B", "(B)", "B)", "\text{(B)}", "(B) 17" give 'B'. 0 when none.
char choice_letter(std::string_view normalized);

}  // namespace r1eval::graders::math
