#!/bin/sh
# Entry point of every MoELoRA Streams image: starts the JVM with the settings of its environment and
# passes the container's arguments on (the CLI image takes a command, the services none).
#   JAVA_OPTS              JVM options (heap as a share of the container's memory, ...)
#   MOELORA_TORCH_THREADS  libtorch intra-op threads; OpenMP's pool follows unless OMP_NUM_THREADS is set
#   OMP_WAIT_POLICY        PASSIVE by default: spinning OpenMP threads starve other processes on a shared node
#   DJL_OFFLINE            true: DJL never downloads (the image carries libtorch in DJL_CACHE_DIR)
#   JAVA_APP_JAR           the jar to run
#   MOELORA_MKL_DISPATCH   auto (default): on AMD x86-64 CPUs, preload the image's MKL dispatch library so
#                          libtorch's MKL runs the CPU's own kernels (mkl-dispatch.sh); on: any x86-64; off
set -eu
here=$(dirname "$0")
if [ -f "$here/mkl-dispatch.sh" ]; then
  lib=$(sh "$here/mkl-dispatch.sh" "$here/native")
  [ -z "$lib" ] || export LD_PRELOAD="$lib${LD_PRELOAD:+:$LD_PRELOAD}"
fi
threads="${MOELORA_TORCH_THREADS:-1}"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-$threads}"
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
# JAVA_OPTS holds several options: it is split on purpose.
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} -Dai.djl.offline="${DJL_OFFLINE:-true}" \
  -Dai.djl.pytorch.num_threads="$threads" -Dai.djl.pytorch.num_interop_threads=1 \
  -jar "${JAVA_APP_JAR:-/deployments/quarkus-run.jar}" "$@"
