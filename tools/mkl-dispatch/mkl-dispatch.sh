#!/bin/sh
# Prints the path of the MKL dispatch library (mkl_dispatch.c) for LD_PRELOAD when it applies to this
# machine, building it into DIR with the C compiler on first use; prints nothing when it does not apply.
#   usage: mkl-dispatch.sh DIR
#   MOELORA_MKL_DISPATCH  auto (default): on AMD x86-64 CPUs only; on: on any x86-64 CPU; off: never
# It applies to x86-64 only (MKL is not in other builds of libtorch). Without a C compiler and without
# a library already built in DIR, it prints a note on stderr and nothing on stdout: libtorch then runs
# MKL's generic kernels, correct but slower.
set -eu
dir=${1:?usage: mkl-dispatch.sh DIR}
mode=${MOELORA_MKL_DISPATCH:-auto}
case "$mode" in
  off) exit 0 ;;
  auto | on) ;;
  *) echo "MOELORA_MKL_DISPATCH must be auto, on or off (got '$mode')" >&2; exit 2 ;;
esac
[ "$(uname -m)" = x86_64 ] || exit 0
if [ "$mode" = auto ] && ! grep -q -m1 '^vendor_id.*AuthenticAMD' /proc/cpuinfo 2>/dev/null; then
  exit 0
fi
lib="$dir/libmoelora-mkl-dispatch.so"
src="$(cd "$(dirname "$0")" && pwd)/mkl_dispatch.c"
if [ -f "$lib" ] && { [ ! -f "$src" ] || [ ! "$src" -nt "$lib" ]; }; then
  echo "$lib"
  exit 0
fi
cc=${CC:-cc}
if ! command -v "$cc" >/dev/null 2>&1; then
  echo "note: no C compiler ($cc): libtorch's MKL runs its generic kernels on this AMD CPU (about half the fp32 matmul speed); install gcc to build $lib" >&2
  exit 0
fi
mkdir -p "$dir"
tmp="$lib.tmp.$$"
if "$cc" -shared -fPIC -O2 -nostdlib -o "$tmp" "$src" && mv -f "$tmp" "$lib"; then
  echo "$lib"
else
  rm -f "$tmp"
  echo "note: could not build $lib; libtorch's MKL runs its generic kernels" >&2
fi
