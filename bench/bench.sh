#!/usr/bin/env bash
# Runs a benchmark from the bench module: ./bench/bench.sh generation --model ... [--tokens N] [--runs N]
# Builds the module on first use. Figures are printed; bench/RESULTS.md records them.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=$(ls bench/target/moelora-bench-*.jar 2>/dev/null | head -1 || true)
[ "${BENCH_REBUILD:-0}" = 1 ] && jar=""
if [ -z "$jar" ]; then
  mvn -B -ntp -q -DskipTests -pl bench -am package
  jar=$(ls bench/target/moelora-bench-*.jar | head -1)
fi
threads=${BENCH_THREADS:-$(nproc)}
exec java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$threads" -Dai.djl.pytorch.num_interop_threads=1 \
  -jar "$jar" "$@"
