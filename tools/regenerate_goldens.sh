#!/bin/sh
# Regenerates the golden findings of the end-to-end tests. Review `git diff testdata/` before
# committing: a golden is a claim about what the product should say.
set -eu
cd "$(dirname "$0")/.."
bazel --output_base="${CDISCAN_BAZEL_OUTPUT_BASE:-$HOME/.cache/bazel_rules}" build //tools:cdiscan
./bazel-bin/tools/cdiscan scan --notes=testdata/sample/notes.jsonl \
  --encounters=testdata/sample/encounters.jsonl --quiet \
  --out=testdata/sample/findings.golden.jsonl
echo "wrote testdata/sample/findings.golden.jsonl"
