#!/usr/bin/env bash
# Runs pool4j and its references (Python's multiprocessing twins, a bare ExecutorService, a bare
# `java Hello`) side by side in one run and prints a Markdown table of medians and ratios; the
# process pool's payload and submit rows also show the limit (raw pipes between two JVMs).
#
#   benchmarks/compare.sh [--quick] [--repeats N] [--only REGEX] [--out FILE] [--list] [--jar FILE]
#
# Uses $JAVA_HOME/bin/java if JAVA_HOME is set, else `java` on the PATH; the worker JVMs use the
# same binary. Builds benchmarks/target/benchmarks.jar first if it is missing (or with --build).
# Python scenarios are skipped with a note when python3 (or $PYTHON) is not found. --jar runs
# another build of benchmarks.jar (a copy of an older commit's, to compare before and after).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
jar="$here/target/benchmarks.jar"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
python="${PYTHON:-python3}"

args=()
build=false
next_is_jar=false
for arg in "$@"; do
  if $next_is_jar; then
    jar="$arg"
    next_is_jar=false
    continue
  fi
  case "$arg" in
    --build) build=true ;;
    --jar) next_is_jar=true ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) args+=("$arg") ;;
  esac
done

if $build || [[ ! -f "$jar" ]]; then
  (cd "$root" && mvn -B -q -pl benchmarks -am package -DskipTests)
fi

echo "uptime: $(uptime)" >&2
exec "$java" -Xmx3g -cp "$jar" io.github.pool4j.benchmarks.Compare \
  --python "$python" --python-dir "$here/python" "${args[@]+"${args[@]}"}"
