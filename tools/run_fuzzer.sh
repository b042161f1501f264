#!/bin/sh
# Builds a libFuzzer target with clang (ASan) through Bazel's --config=fuzz, in its own output
# base so the normal gcc build is untouched, then runs it.
#
# Usage: tools/run_fuzzer.sh //io:record_fuzzer SECONDS SEED_DIR [extra libFuzzer flags]
#   tools/run_fuzzer.sh //io:record_fuzzer 600 io/testdata/fuzz_seeds
# The corpus grows in /tmp/cdiscan_fuzz/<target name>/; crashes land there as crash-*. Add a
# crash input to SEED_DIR once fixed: the *_fuzzer_test targets replay it on every bazel test.
# (The NLP fuzzer has its own Bazel-free script: nlp/run_fuzzer.sh.)
set -eu
target=$1 seconds=$2 seeds=$3
shift 3
name=${target##*:}
base="$HOME/.cache/bazel_fuzz"
bazel --output_base="$base" build --config=fuzz --symlink_prefix=/ "$target"
bin="$(bazel --output_base="$base" info --config=fuzz bazel-bin 2>/dev/null)/$(echo "${target#//}" | tr : /)"
work="/tmp/cdiscan_fuzz/$name"
mkdir -p "$work/corpus"
seeds=$(cd "$seeds" && pwd)
cd "$work"
exec "$bin" -max_total_time="$seconds" -max_len=8192 -print_final_stats=1 "$@" corpus "$seeds"
