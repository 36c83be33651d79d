package io.moelora.core.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A byte-level tokenizer for the built-in tiny model: id 0 pad, 1 BOS, 2 EOS, then id = byte + 3.
 * It needs no vocabulary file, covers any UTF-8 text, and decodes exactly what it encodes.
 */
public final class ByteTokenizer implements TextTokenizer {

    public static final int PAD = 0;
    public static final int BOS = 1;
    public static final int EOS = 2;
    public static final int OFFSET = 3;
    public static final int VOCAB = 256 + OFFSET;

    @Override
    public int[] encode(String text, boolean bos, boolean eos) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[] out = new int[bytes.length + (bos ? 1 : 0) + (eos ? 1 : 0)];
        int i = 0;
        if (bos) {
            out[i++] = BOS;
        }
        for (byte b : bytes) {
            out[i++] = (b & 0xff) + OFFSET;
        }
        if (eos) {
            out[i] = EOS;
        }
        return out;
    }

    @Override
    public String decode(int previous, int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int id : ids) {
            if (id >= OFFSET && id < VOCAB) {
                out.write(id - OFFSET);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public int vocabSize() {
        return VOCAB;
    }
}
