package io.moelora.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@code bench/python/adapter_bench.py} (Debian's python3-torch) for one case and parses its one
 * JSON line. The fair setup: OpenBLAS with OpenMP and the same thread count as the DJL side.
 */
final class PythonBaseline {

    record Result(double msPerStep, String blas) {}

    private PythonBaseline() {}

    static Result run(String c, int iters, int threads, int dim, int layers, int heads, int hidden, int vocab, int seq,
            int batch, int experts, int topK, int rank, List<String> targets) throws IOException, InterruptedException {
        Path script = Path.of("bench/python/adapter_bench.py");
        if (!Files.isRegularFile(script)) {
            throw new IOException("run from the repository root: " + script + " not found");
        }
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", script.toString(), "--case", c,
                "--dim", "" + dim, "--layers", "" + layers, "--heads", "" + heads, "--kv-heads", "" + heads,
                "--hidden", "" + hidden, "--vocab", "" + vocab, "--seq", "" + seq, "--batch", "" + batch,
                "--warmup", "3", "--iters", "" + iters, "--threads", "" + threads, "--experts", "" + experts,
                "--top-k", "" + topK, "--rank", "" + rank, "--targets", String.join(",", targets)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("LD_LIBRARY_PATH", "/usr/lib/x86_64-linux-gnu/openblas-openmp");
        pb.environment().put("OMP_NUM_THREADS", "" + threads);
        pb.environment().remove("OPENBLAS_CORETYPE"); // a forced core type can select instructions this CPU lacks
        pb.environment().remove("LD_PRELOAD"); // the MKL dispatch library is for libtorch's MKL; PyTorch runs OpenBLAS
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0 || out.isEmpty()) {
            throw new IOException("PyTorch baseline failed for " + c + " (install: apt-get install -y python3-torch"
                    + " libopenblas0-openmp); output: " + out);
        }
        JsonNode j = new ObjectMapper().readTree(out.lines().reduce((a, b) -> b).orElseThrow());
        String blas = j.path("blas").asText();
        if (!blas.contains("OpenBLAS")) {
            // Debian's torch falls back to the reference BLAS, tens of times slower: the ratios would be meaningless
            throw new IOException("PyTorch baseline for " + c + " runs on " + blas
                    + ", not OpenBLAS: apt-get install -y libopenblas0-openmp");
        }
        return new Result(j.get("ms_per_step").asDouble(), blas + ", torch " + j.path("torch").asText());
    }
}
