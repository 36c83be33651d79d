package io.moelora.core.train;

import io.moelora.core.data.InstructionExample;
import io.moelora.core.data.Prompts;
import io.moelora.core.tokenizer.TextTokenizer;
import java.util.Arrays;

/**
 * Tokenizes examples the way LLM-Adapters' fine-tuning script does: the training prompt plus the
 * response with BOS, truncated to the cutoff, EOS appended when shorter than the cutoff; with
 * {@code trainOnInputs = false} the prompt tokens are not targets.
 */
public final class ExampleEncoder {

    private final TextTokenizer tokenizer;
    private final int cutoff;
    private final boolean trainOnInputs;
    private final int eosId;

    public ExampleEncoder(TextTokenizer tokenizer, int cutoff, boolean trainOnInputs, int eosId) {
        if (cutoff < 2) {
            throw new IllegalArgumentException("cutoff must be >= 2, got " + cutoff);
        }
        this.tokenizer = tokenizer;
        this.cutoff = cutoff;
        this.trainOnInputs = trainOnInputs;
        this.eosId = eosId;
    }

    public TokenizedExample encode(InstructionExample example) {
        int[] ids = tokenizer.encode(Prompts.training(example), true, false);
        if (ids.length > cutoff) {
            ids = Arrays.copyOf(ids, cutoff);
        }
        if (ids.length < cutoff && ids[ids.length - 1] != eosId) {
            ids = Arrays.copyOf(ids, ids.length + 1);
            ids[ids.length - 1] = eosId;
        }
        boolean[] targets = new boolean[ids.length];
        int promptTokens = trainOnInputs ? 0 : tokenizer.encode(Prompts.trainingPrefix(example), true, false).length;
        for (int i = promptTokens; i < ids.length; i++) {
            targets[i] = true;
        }
        return new TokenizedExample(ids, targets);
    }
}
