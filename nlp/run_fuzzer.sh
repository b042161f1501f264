#!/bin/sh
# Builds nlp/normalizer_fuzzer.cc with clang + libFuzzer + ASan (no Bazel needed) and runs it.
#
# Usage (from the repository root): nlp/run_fuzzer.sh [SECONDS] [extra libFuzzer flags]
#   nlp/run_fuzzer.sh 600            # ten minutes, corpus grows in /tmp/cdiscan_nlp_fuzz/corpus
# Crashes are written to /tmp/cdiscan_nlp_fuzz/crash-*; replay one with
#   /tmp/cdiscan_nlp_fuzz/normalizer_fuzzer /tmp/cdiscan_nlp_fuzz/crash-<hash>
# and add it to nlp/testdata/fuzz_seeds/ so //nlp:normalizer_fuzzer_test keeps replaying it.
set -eu
SECONDS_TO_RUN="${1:-600}"
[ $# -gt 0 ] && shift
OUT=/tmp/cdiscan_nlp_fuzz
mkdir -p "$OUT/corpus"
CXX="${CXX:-clang++}"
# The lexicons are compiled in, exactly as cc_embed_data does it.
"$CXX" -std=c++20 -O1 -o "$OUT/embed" tools/embed.cc
"$OUT/embed" "$OUT/lexicons_embedded.cc" kNlpLexicons nlp/lexicons/*.tsv
"$CXX" -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -I. \
  nlp/normalizer_fuzzer.cc nlp/normalizer.cc nlp/tokenizer.cc nlp/section.cc \
  nlp/sentence.cc nlp/lexicon.cc "$OUT/lexicons_embedded.cc" \
  -licui18n -licuuc -licudata \
  -labsl_statusor -labsl_status -labsl_cord -labsl_cordz_info -labsl_cord_internal \
  -labsl_cordz_functions -labsl_cordz_handle -labsl_exponential_biased -labsl_synchronization \
  -labsl_graphcycles_internal -labsl_stacktrace -labsl_symbolize -labsl_debugging_internal \
  -labsl_demangle_internal -labsl_malloc_internal -labsl_time -labsl_civil_time \
  -labsl_time_zone -labsl_str_format_internal -labsl_strings -labsl_strings_internal \
  -labsl_raw_hash_set -labsl_hash -labsl_city -labsl_low_level_hash -labsl_int128 \
  -labsl_throw_delegate -labsl_base -labsl_spinlock_wait -labsl_raw_logging_internal \
  -labsl_log_severity \
  -o "$OUT/normalizer_fuzzer"
cd "$OUT"
exec ./normalizer_fuzzer -max_total_time="$SECONDS_TO_RUN" -max_len=4096 -print_final_stats=1 \
  "$@" corpus "$OLDPWD/nlp/testdata/fuzz_seeds"
