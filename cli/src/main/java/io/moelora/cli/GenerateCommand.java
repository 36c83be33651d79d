package io.moelora.cli;

import io.moelora.core.generate.GreedyGenerator;
import io.moelora.core.io.LoadedModel;
import io.moelora.core.io.ModelLoader;
import io.moelora.core.tokenizer.TextTokenizer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code moelora generate}: greedy decoding from a llama2.c or Hugging Face model. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate text greedily from a prompt (BOS is prepended).")
final class GenerateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "llama2.c .bin file or Hugging Face model directory")
    Path model;

    @Option(names = "--tokenizer", description = "tok*.bin for llama2.c models (HF directories use tokenizer.json)")
    Path tokenizer;

    @Option(names = "--prompt", defaultValue = "", description = "prompt text (default: empty)")
    String prompt;

    @Option(names = "--max-new-tokens", defaultValue = "256", description = "tokens to generate (default: ${DEFAULT-VALUE})")
    int maxNewTokens;

    @Option(names = "--greedy", defaultValue = "true", description = "greedy (argmax) decoding; the only mode so far")
    boolean greedy;

    @Option(names = "--ids", description = "print the generated token ids, space-separated, instead of text")
    boolean ids;

    @Option(names = {"-v", "--verbose"}, description = "print load time and tokens/s to stderr")
    boolean verbose;

    @Override
    public Integer call() {
        if (maxNewTokens < 0) {
            throw new IllegalArgumentException("--max-new-tokens must be >= 0, got " + maxNewTokens);
        }
        long t0 = System.nanoTime();
        try (LoadedModel loaded = ModelLoader.load(model, tokenizer)) {
            TextTokenizer tok = loaded.tokenizer();
            if (tok == null && !prompt.isEmpty()) {
                throw new IllegalArgumentException("a prompt needs a tokenizer: pass --tokenizer");
            }
            int[] promptIds = tok == null ? new int[] {loaded.model().config().bosId()} : tok.encode(prompt, true, false);
            long t1 = System.nanoTime();
            int[] out = new GreedyGenerator(loaded.model(), loaded.stopIds()).generate(List.of(promptIds), maxNewTokens).get(0);
            long t2 = System.nanoTime();
            if (ids || tok == null) {
                spec.commandLine().getOut().println(Arrays.stream(out).mapToObj(Integer::toString).collect(Collectors.joining(" ")));
            } else {
                // like run.c: the prompt (after BOS) followed by the continuation
                int[] all = new int[promptIds.length - 1 + out.length];
                System.arraycopy(promptIds, 1, all, 0, promptIds.length - 1);
                System.arraycopy(out, 0, all, promptIds.length - 1, out.length);
                spec.commandLine().getOut().println(tok.decode(promptIds[0], all));
            }
            if (verbose) {
                spec.commandLine().getErr().printf("loaded in %.0f ms; %d tokens in %.0f ms (%.1f tokens/s)%n",
                        (t1 - t0) / 1e6, out.length, (t2 - t1) / 1e6, out.length / ((t2 - t1) / 1e9));
            }
        }
        return 0;
    }
}
