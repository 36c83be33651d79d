/*
 * Preloaded (LD_PRELOAD) into JVMs that run libtorch on an AMD x86-64 CPU.
 *
 * The CPU build of libtorch links Intel oneMKL, and MKL picks its SGEMM kernels by asking
 * mkl_serv_intel_cpu_true() whether the CPU is an Intel one. On any other vendor it falls back to
 * generic AVX2 kernels, whatever the CPU supports: on an AVX-512 AMD EPYC that halves fp32 matmul
 * throughput (about 170 instead of 400 GFLOP/s on 2 cores). libtorch_cpu.so exports the function, so a
 * preloaded definition takes its place; MKL then dispatches on the instruction sets the CPU reports
 * (CPUID feature flags), as it does on Intel CPUs. Nothing else changes: the results are the same
 * products, summed in another order (fp32 rounding differences only).
 *
 * Built without the C library (-nostdlib): it calls nothing and needs only a C compiler.
 */
int mkl_serv_intel_cpu_true(void) { return 1; }
