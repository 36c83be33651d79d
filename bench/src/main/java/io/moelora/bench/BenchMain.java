package io.moelora.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Entry point: {@code bench.sh NAME [options]} runs one sub-benchmark, {@code bench.sh all [--smoke]
 * [--only NAME,...]} runs every one in {@link #BENCHMARKS} (or the named ones), each in its own JVM
 * ({@link AllBenchmarks}).
 */
public final class BenchMain {

    /** How a sub-benchmark is started with its own arguments. */
    @FunctionalInterface
    interface Runner {
        void run(String[] args) throws Exception;
    }

    /**
     * A sub-benchmark.
     *
     * @param usage its command line, shown by {@code bench.sh} without arguments
     * @param allArgs the arguments {@code bench.sh all} runs it with (full size)
     * @param smokeArgs the same at a size that runs in seconds ({@code bench.sh all --smoke})
     */
    record Benchmark(String name, Runner runner, String usage, List<String> allArgs, List<String> smokeArgs) {}

    /** The shared stories260K files beside the repository, as RESULTS.md's commands name them. */
    static final String STORIES = "../shared/models/stories260K/stories260K.bin";
    static final String STORIES_TOKENIZER = "../shared/models/stories260K/tok512.bin";

    /**
     * Every sub-benchmark, in the order {@code bench.sh all} runs them. To add one, append an entry:
     * name, runner, usage line, full-size arguments for {@code all}, and a seconds-long smoke version.
     */
    static final List<Benchmark> BENCHMARKS = List.of(
            new Benchmark("generation", GenerationBench::run,
                    "generation --model FILE|DIR [--tokenizer FILE] [--tokens N] [--runs N] [--batches 8,32] [--beams 4]"
                            + " [--dims 512] [--prompt 8] [--out DIR]",
                    List.of("--model", STORIES, "--tokens", "256", "--runs", "5"),
                    List.of("--model", STORIES, "--tokens", "16", "--runs", "1", "--batches", "8,32")),
            new Benchmark("eval", EvalBench::run,
                    "eval --models FILE|synthetic:DIM,... [--tokenizer FILE] [--limit 16] [--batch 8] [--beams 4]"
                            + " [--rounds 3] [--adapters 4] [--max-tokens N] [--out DIR]",
                    List.of("--models", STORIES + ",synthetic:512", "--tokenizer", STORIES_TOKENIZER),
                    List.of("--models", STORIES + ",synthetic:512", "--tokenizer", STORIES_TOKENIZER, "--limit", "2",
                            "--max-tokens", "4", "--batch", "2", "--rounds", "1", "--adapters", "2")),
            new Benchmark("matmul", MatmulBench::run, "matmul [--dims 256,512] [--rounds 3] [--reps 10]",
                    List.of(), List.of("--dims", "256", "--rounds", "1", "--reps", "2")),
            new Benchmark("mkl-dispatch", MklDispatchBench::run, MklDispatchBench.USAGE, List.of(),
                    List.of("--dims", "256", "--rounds", "1", "--reps", "2")),
            new Benchmark("adapters", AdapterBench::run,
                    "adapters [ROUNDS [ITERS]] [--dims 256,512] [--torch on|off] [--out DIR]"
                            + "   (PyTorch side: /usr/bin/python3 with torch)",
                    List.of("--rounds", "3", "--iters", "10", "--dims", "256,512"),
                    List.of("--rounds", "1", "--iters", "1", "--dims", "256,512", "--torch", "off")),
            new Benchmark("memory", args -> MemoryBench.run(args.length > 0 ? Integer.parseInt(args[0]) : 1000),
                    "memory [STEPS]", List.of("1000"), List.of("30")),
            // Pipeline benchmarks: a broker and the packaged services as JVMs (bench.sh builds them).
            new Benchmark("kafka", KafkaBench::run, KafkaBench.USAGE, List.of(),
                    List.of("--rounds", "1", "--ingest-examples", "20000", "--ingest-per-upload", "5000",
                            "--consume-backlog", "20000", "--train-steps", "3", "--train-warmup", "1",
                            "--latency-checkpoints", "3", "--latency-warmup", "2")),
            new Benchmark("service-memory", ServiceMemoryBench::run, ServiceMemoryBench.USAGE, List.of(),
                    List.of("--steps", "200", "--checkpoints", "5", "--sample-ms", "500")),
            new Benchmark("contention", ContentionBench::run, ContentionBench.USAGE, List.of(),
                    List.of("--rounds", "1", "--steps", "3", "--warmup", "1", "--settle-s", "1", "--threads", "1,2",
                            "--waits", "PASSIVE")));

    private BenchMain() {}

    /**
     * The command that runs benchmark {@code name} in a fresh JVM with this JVM's options (libtorch threads,
     * offline flag) plus {@code jvmOptions}, and this classpath.
     */
    static List<String> childJvm(List<String> jvmOptions, String name, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchMain.class.getName(), name));
        cmd.addAll(args);
        return cmd;
    }

    public static void main(String[] args) throws Exception {
        String name = args.length == 0 ? "" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        if (name.equals("all")) {
            System.exit(AllBenchmarks.run(BENCHMARKS, rest));
        }
        for (Benchmark b : BENCHMARKS) {
            if (b.name().equals(name)) {
                b.runner().run(rest);
                return;
            }
        }
        System.err.println("usage: bench.sh all [--smoke] [--only NAME,...]   (the benchmarks below, in order, each in"
                + " its own JVM)");
        for (Benchmark b : BENCHMARKS) {
            System.err.println("       bench.sh " + b.usage());
        }
        System.exit(64);
    }
}
