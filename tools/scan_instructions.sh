#!/bin/sh
# Instructions per note scan (full rule library), measured with callgrind so that the figure
# does not depend on what else the machine is doing. Start-up is cancelled by differencing two
# runs of 100 and 200 scans. Usage: tools/scan_instructions.sh [NOTE.txt ...]
# (default: the two benchmark notes in testdata/bench/).
set -eu
cd "$(dirname "$0")/.."
bazel build -c opt //engine:scan_profile >/dev/null 2>&1
bin="$(bazel info -c opt bazel-bin 2>/dev/null)/engine/scan_profile"
[ $# -gt 0 ] || set -- testdata/bench/dense_progress_note.txt testdata/bench/narrative_hp_note.txt
count() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$1" "$2" 2>&1 |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
for note in "$@"; do
  low=$(count "$note" 100)
  high=$(count "$note" 200)
  bytes=$(wc -c <"$note")
  per_note=$(( (high - low) / 100 ))
  echo "$note: $bytes bytes, $per_note instructions per scan, $(( per_note / bytes )) per byte"
done
