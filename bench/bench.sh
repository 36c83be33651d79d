#!/usr/bin/env bash
# Runs a benchmark from the bench module: ./bench/bench.sh generation --model ... [--tokens N] [--runs N]
# MOELORA_MKL_DISPATCH=off runs libtorch without tools/mkl-dispatch (see the README).
# Builds the module on first use. Figures are printed; bench/RESULTS.md records them.
# ./bench/bench.sh all [--smoke] [--only NAME,...] runs every benchmark listed in BenchMain, each in its own JVM.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=$(ls bench/target/moelora-bench-*.jar 2>/dev/null | head -1 || true)
[ "${BENCH_REBUILD:-0}" = 1 ] && jar=""
if [ -z "$jar" ]; then
  mvn -B -ntp -q -DskipTests -pl bench -am package
  jar=$(ls bench/target/moelora-bench-*.jar | head -1)
fi
case "${1:-}" in
  kafka|service-memory|contention|all)
    # The pipeline benchmarks run the packaged services as separate JVMs.
    for m in trainer-service eval-service gateway; do
      if [ "${BENCH_REBUILD:-0}" = 1 ] || [ ! -f "$m/target/quarkus-app/quarkus-run.jar" ]; then
        mvn -B -ntp -q -DskipTests -pl trainer-service,eval-service,gateway -am package
        break
      fi
    done ;;
esac
threads=${BENCH_THREADS:-$(nproc)}
# As the launcher does: on AMD CPUs, let libtorch's MKL use the CPU's own kernels (tools/mkl-dispatch;
# MOELORA_MKL_DISPATCH=off measures without). The library's path is passed on for the mkl-dispatch
# benchmark, which times matmuls with and without it.
mkl_lib=$(sh tools/mkl-dispatch/mkl-dispatch.sh bench/target/native)
if [ -n "$mkl_lib" ]; then
  export LD_PRELOAD="$mkl_lib${LD_PRELOAD:+:$LD_PRELOAD}" MOELORA_MKL_DISPATCH_LIB="$mkl_lib"
fi
exec java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$threads" -Dai.djl.pytorch.num_interop_threads=1 \
  -jar "$jar" "$@"
