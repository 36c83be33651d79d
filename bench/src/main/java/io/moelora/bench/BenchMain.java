package io.moelora.bench;

import java.util.Arrays;

/** Entry point: {@code bench.sh generation [options]}. */
public final class BenchMain {

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (args.length == 0 ? "" : args[0]) {
            case "generation" -> GenerationBench.run(rest);
            case "adapters" -> AdapterBench.run(rest);
            case "memory" -> MemoryBench.run(rest.length > 0 ? Integer.parseInt(rest[0]) : 1000);
            default -> {
                System.err.println("usage: bench.sh generation --model FILE|DIR [--tokenizer FILE] [--tokens N] [--runs N]");
                System.err.println("       bench.sh adapters [ROUNDS [ITERS]]   (needs /usr/bin/python3 with torch)");
                System.err.println("       bench.sh memory [STEPS]");
                System.exit(64);
            }
        }
    }
}
