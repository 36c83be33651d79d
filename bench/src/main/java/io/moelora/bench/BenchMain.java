package io.moelora.bench;

import java.util.Arrays;

/** Entry point: {@code bench.sh generation [options]}. */
public final class BenchMain {

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !args[0].equals("generation")) {
            System.err.println("usage: bench.sh generation --model FILE|DIR [--tokenizer FILE] [--tokens N] [--runs N]");
            System.exit(64);
        }
        GenerationBench.run(Arrays.copyOfRange(args, 1, args.length));
    }
}
