#!/bin/sh
# Quick start: install what cdiscan needs, build it, and scan the bundled synthetic sample
# extract, printing the findings (one JSON line per query opportunity) and a run summary.
set -eu
cd "$(dirname "$0")/.."
sh tools/install_deps.sh
bazel build //tools:cdiscan
./bazel-bin/tools/cdiscan scan \
  --notes=testdata/sample/notes.jsonl \
  --encounters=testdata/sample/encounters.jsonl
