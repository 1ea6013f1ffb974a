#!/usr/bin/env bash
# Records one JFR profile of the parent and of both worker JVMs per row (see Profile.java for
# the rows), then prints a summary of each (profiling/jfr_summary.py).
#
#   benchmarks/profiling/profile.sh [--seconds S] [--out DIR] ROW...
#   ROW: bytes-1mb string-1mb ints-1mb submit cold-map warm-map-1k warm-map-100k warm-map-1m
#
# Uses $JAVA_HOME/bin/java (else java on the PATH) and the jfr tool beside it. Every row gives
# the workers the same JFR option, so their AppCDS archive is written once (a worker that writes
# the archive runs without JFR); run a row twice if its first run printed "JFR will be disabled".
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$here/../target/benchmarks.jar"
bin="${JAVA_HOME:+$JAVA_HOME/bin/}"
seconds=12
out=/tmp/pool4j-profiles
rows=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) rows+=("$1"); shift ;;
  esac
done
workers="$out/.workers"
for row in "${rows[@]}"; do
  rm -rf "${out:?}/$row" "$workers"; mkdir -p "$out/$row" "$workers"
  "${bin}java" -XX:StartFlightRecording=filename="$out/$row/parent.jfr",settings=profile \
     -Dpool4j.bench.workerJvmOptions="-XX:StartFlightRecording=filename=$workers/,settings=profile" \
     -Xmx3g -cp "$jar" io.github.pool4j.benchmarks.Profile "$row" "$seconds" 2>&1 \
     | grep -v 'jfr,startup' | tee "$out/$row/out.txt"
  mv "$workers" "$out/$row/w"
  since="$(grep -o 'steady from [^ ]*' "$out/$row/out.txt" | cut -d' ' -f3 || true)"
  JFR="${bin}jfr" python3 "$here/jfr_summary.py" "$out/$row" "$since"
done
