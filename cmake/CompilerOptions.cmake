# Project-wide warning and sanitizer settings, applied through the r1eval_options interface target.
add_library(r1eval_options INTERFACE)
target_include_directories(r1eval_options INTERFACE ${PROJECT_SOURCE_DIR})
target_compile_options(r1eval_options INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion)
if(R1EVAL_WERROR)
  target_compile_options(r1eval_options INTERFACE -Werror)
endif()
if(R1EVAL_SANITIZE)
  target_compile_options(r1eval_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
                                                  -fno-sanitize-recover=undefined)
  target_link_options(r1eval_options INTERFACE -fsanitize=address,undefined)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC 12 with ASan at -O2 reports maybe-uninitialized inside libstdc++'s std::regex/std::function as it inlines
    # them into our code (tests/evals/runner); the release build keeps the warning as an error.
    target_compile_options(r1eval_options INTERFACE -Wno-maybe-uninitialized)
  endif()
endif()
if(R1EVAL_FUZZ)
  # Libraries get libFuzzer's coverage instrumentation and the sanitizers; only the fuzz targets link the driver.
  target_compile_options(r1eval_options INTERFACE -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                                                  -fno-sanitize-recover=undefined)
  target_link_options(r1eval_options INTERFACE -fsanitize=address,undefined)
endif()

# Flags for translation units that hold one SIMD variant of a kernel family. Only those files get them;
# the rest of the program stays baseline x86-64 and picks a variant at run time.
set(R1EVAL_AVX2_FLAGS -mavx2 -mfma -mf16c)
set(R1EVAL_AVX512_FLAGS -mavx512f -mavx512bw -mavx512vl -mavx512dq -mfma -mf16c)
# The bf16 dot-product matmul alone (avx512_bf16_kernels.cpp), reached only after CPUID reports both extensions.
set(R1EVAL_AVX512_BF16_FLAGS ${R1EVAL_AVX512_FLAGS} -mavx512bf16 -mavx512vbmi)
