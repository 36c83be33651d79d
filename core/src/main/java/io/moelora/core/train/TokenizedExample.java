package io.moelora.core.train;

/**
 * One example as token ids with a training-target flag per token.
 *
 * @param ids BOS, prompt and response tokens (EOS when shorter than the cutoff)
 * @param targets whether each token is a training target
 */
public record TokenizedExample(int[] ids, boolean[] targets) {

    public TokenizedExample {
        if (ids.length == 0 || ids.length != targets.length) {
            throw new IllegalArgumentException("ids and targets must be non-empty and of equal length");
        }
    }

    public int length() {
        return ids.length;
    }
}
