#!/bin/sh
# Instructions per note scan (full rule library), measured with callgrind so that the figure
# does not depend on what else the machine is doing. Start-up is cancelled by differencing two
# runs of 100 and 200 scans. Also prints the scan without measurement and treatment extraction,
# how much extraction adds (issue #4: at most 30%), and how much of that the treatments are.
# Usage: tools/scan_instructions.sh [NOTE.txt ...]  (default: the notes in testdata/bench/).
# `synthetic` as a note means BM_ScanNote's corpus of 300 notes, and a FILE.jsonl of cdiscan
# notes means those notes (per note: 2 vs 6 passes over the corpus).
set -eu
cd "$(dirname "$0")/.."
bazel build -c opt //engine:scan_profile >/dev/null 2>&1
bin="$(bazel info -c opt bazel-bin 2>/dev/null)/engine/scan_profile"
[ $# -gt 0 ] || set -- testdata/bench/dense_progress_note.txt testdata/bench/narrative_hp_note.txt
count() {  # NOTE ITERATIONS [without_extraction]
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$@" 2>&1 |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
per_scan() {  # NOTE [without_extraction]
  note=$1
  shift
  if [ "$note" = synthetic ]; then
    echo $(( ($(count "$note" 6 "$@") - $(count "$note" 2 "$@")) / 1200 ))
  elif [ "${note%.jsonl}" != "$note" ]; then
    notes=$(grep -c '[^[:space:]]' "$note")  # scan_profile skips blank lines
    echo $(( ($(count "$note" 6 "$@") - $(count "$note" 2 "$@")) / (4 * notes) ))
  else
    echo $(( ($(count "$note" 200 "$@") - $(count "$note" 100 "$@")) / 100 ))
  fi
}
for note in "$@"; do
  if [ "$note" = synthetic ] || [ "${note%.jsonl}" != "$note" ]; then
    bytes=$("$bin" "$note" 0 | sed -n 's/.*, \([0-9]*\) bytes per note/\1/p')
  else
    bytes=$(wc -c <"$note")
  fi
  full=$(per_scan "$note")
  bare=$(per_scan "$note" without_extraction)
  measurements=$(per_scan "$note" without_treatments)
  echo "$note: $bytes bytes, $full instructions per scan ($(( full / bytes )) per byte);" \
    "without extraction $bare; extraction adds $(( (full - bare) * 100 / bare ))%" \
    "(measurements $(( (measurements - bare) * 100 / bare ))%," \
    "treatments $(( (full - measurements) * 100 / bare ))%)"
done
