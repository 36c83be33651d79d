package io.moelora.core.tokenizer;

/** Text to token ids and back. */
public interface TextTokenizer extends AutoCloseable {

    /**
     * @param bos prepend the beginning-of-sequence id
     * @param eos append the end-of-sequence id
     */
    int[] encode(String text, boolean bos, boolean eos);

    /** Decodes generated ids; {@code previous} is the id before the first one (or -1). */
    String decode(int previous, int[] ids);

    int vocabSize();

    @Override
    default void close() {}
}
