package io.moelora.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tools/mkl-dispatch: the script builds the preload library once and only where it applies, and a JVM
 * with it preloaded computes the same products with other kernels (bitwise different sums, within fp32
 * rounding). Its speed is measured by {@code bench.sh mkl-dispatch}, not here.
 */
class MklDispatchTest {

    private static final Path SCRIPT = Path.of("").toAbsolutePath().getParent()
            .resolve("tools/mkl-dispatch/mkl-dispatch.sh");

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    @Test
    void offBuildsAndPrintsNothing() throws Exception {
        Run r = script(Map.of("MOELORA_MKL_DISPATCH", "off"));
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void anUnknownSettingIsRefusedWithTheChoices() throws Exception {
        Run r = script(Map.of("MOELORA_MKL_DISPATCH", "yes"));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("must be auto, on or off").contains("'yes'");
    }

    @Test
    void withoutACompilerItSaysSoAndPrintsNothing() throws Exception {
        assumeAmd();
        Run r = script(Map.of("CC", "no-such-compiler-here"));
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("no C compiler").contains("install gcc");
    }

    @Test
    void buildsTheLibraryOnceOnAnAmdCpu() throws Exception {
        assumeAmd();
        assumeCompiler();
        Run first = script(Map.of());
        assertThat(first.exit()).isZero();
        Path lib = dir.resolve("libmoelora-mkl-dispatch.so");
        assertThat(first.out().strip()).isEqualTo(lib.toString());
        byte[] head = Files.readAllBytes(lib);
        assertThat(new String(head, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("ELF");
        FileTime built = Files.getLastModifiedTime(lib);
        Run second = script(Map.of());
        assertThat(second.out().strip()).isEqualTo(lib.toString());
        assertThat(Files.getLastModifiedTime(lib)).as("not rebuilt").isEqualTo(built);
    }

    @Test
    void preloadedMklComputesTheSameProductsWithOtherKernels() throws Exception {
        assumeAmd();
        assumeCompiler();
        String lib = script(Map.of()).out().strip();
        float[] generic = probe(null);
        float[] own = probe(lib);
        double maxAbs = 0;
        double maxDiff = 0;
        int differ = 0;
        for (int i = 0; i < generic.length; i++) {
            maxAbs = Math.max(maxAbs, Math.abs(generic[i]));
            maxDiff = Math.max(maxDiff, Math.abs(generic[i] - own[i]));
            differ += generic[i] != own[i] ? 1 : 0;
        }
        // 512-term sums of unit Gaussians: fp32 rounding in another summation order is ~1e-6 of the largest
        assertThat(maxDiff).isLessThan(1e-5 * maxAbs);
        if (Files.readString(Path.of("/proc/cpuinfo")).contains(" avx512f")) {
            // MKL's generic kernels are AVX2; with AVX-512 its own kernels sum in another order (on an AVX2-only
            // AMD CPU both paths may run the same AVX2 kernel, and the sums may agree bitwise)
            assertThat(differ).as("elements whose sums differ: other kernels ran").isPositive();
        }
    }

    /** The probe's product in a fresh JVM, with {@code lib} preloaded unless null. */
    private float[] probe(String lib) throws Exception {
        Path out = dir.resolve(lib == null ? "generic.bin" : "own.bin");
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=2", "-cp", System.getProperty("java.class.path"),
                MklProbe.class.getName(), out.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("LD_PRELOAD");
        if (lib != null) {
            pb.environment().put("LD_PRELOAD", lib);
        }
        Process p = pb.start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(log).isZero();
        assertThat(log).contains("mkl dispatch loaded: " + (lib != null));
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
        float[] y = new float[MklProbe.ROWS * MklProbe.OUT];
        b.asFloatBuffer().get(y);
        return y;
    }

    private Run script(Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("sh", SCRIPT.toString(), dir.toString());
        pb.environment().remove("MOELORA_MKL_DISPATCH");
        pb.environment().putAll(env);
        Path err = Files.createTempFile("mkl-dispatch", ".err");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();
        String e = Files.readString(err);
        Files.delete(err);
        return new Run(exit, out, e);
    }

    private static void assumeAmd() throws IOException {
        assumeTrue(System.getProperty("os.arch").equals("amd64")
                && Files.readString(Path.of("/proc/cpuinfo")).contains("AuthenticAMD"),
                "needs an AMD x86-64 CPU (the library applies to AMD CPUs only)");
    }

    private static void assumeCompiler() throws IOException, InterruptedException {
        boolean cc = new ProcessBuilder("sh", "-c", "command -v cc").start().waitFor() == 0;
        assumeTrue(cc, "needs tool cc (Debian package gcc) to build tools/mkl-dispatch");
    }
}
