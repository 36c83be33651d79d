package io.moelora.core.tokenizer;

import io.moelora.core.model.ModelFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The llama2.c tokenizer ({@code tok*.bin}): SentencePiece BPE pieces with scores, encoding and
 * decoding exactly as {@code run.c} does (dummy-prefix space, UTF-8 code points with byte fallback,
 * greedy highest-score merges; a leading space is dropped after BOS when decoding).
 */
public final class Llama2cTokenizer implements TextTokenizer {

    private static final int BOS = 1;
    private static final int EOS = 2;
    private static final int BYTE_OFFSET = 3; // ids 3..258 are <0x00>..<0xFF>

    private final byte[][] pieces; // raw UTF-8 bytes of each piece
    private final float[] scores;
    private final Map<String, Integer> lookup = new HashMap<>();

    private Llama2cTokenizer(byte[][] pieces, float[] scores) {
        this.pieces = pieces;
        this.scores = scores;
        for (int i = pieces.length - 1; i >= 0; i--) {
            lookup.put(new String(pieces[i], StandardCharsets.ISO_8859_1), i); // bytes as chars: exact keys
        }
    }

    /** Loads {@code file}; the vocabulary size is not stored in it and comes from the model header. */
    public static Llama2cTokenizer load(Path file, int vocabSize) {
        byte[] raw;
        try {
            raw = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ModelFormatException(file + ": cannot read tokenizer: " + e.getMessage(), e);
        }
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        byte[][] pieces = new byte[vocabSize][];
        float[] scores = new float[vocabSize];
        try {
            b.getInt(); // max_token_length
            for (int i = 0; i < vocabSize; i++) {
                scores[i] = b.getFloat();
                int len = b.getInt();
                if (len < 0 || len > b.remaining()) {
                    throw new ModelFormatException(file + ": corrupt tokenizer: piece " + i + " claims " + len
                            + " bytes, " + b.remaining() + " remain");
                }
                pieces[i] = new byte[len];
                b.get(pieces[i]);
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw new ModelFormatException(file + ": truncated tokenizer: fewer than vocab_size=" + vocabSize + " pieces", e);
        }
        if (b.hasRemaining()) {
            throw new ModelFormatException(file + ": tokenizer has " + b.remaining()
                    + " bytes after " + vocabSize + " pieces: it does not belong to this model");
        }
        return new Llama2cTokenizer(pieces, scores);
    }

    @Override
    public int[] encode(String text, boolean bos, boolean eos) {
        List<Integer> tokens = new ArrayList<>();
        if (bos) {
            tokens.add(BOS);
        }
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > 0) {
            tokens.add(id(new byte[] {' '}));
        }
        for (int i = 0; i < utf8.length; ) {
            int end = i + 1;
            while (end < utf8.length && (utf8[end] & 0xC0) == 0x80 && end - i < 4) {
                end++; // continuation bytes belong to the same code point
            }
            byte[] cp = Arrays.copyOfRange(utf8, i, end);
            Integer found = lookup.get(latin1(cp));
            if (found != null) {
                tokens.add(found);
            } else {
                for (byte x : cp) {
                    tokens.add((x & 0xff) + BYTE_OFFSET);
                }
            }
            i = end;
        }
        mergePairs(tokens, 0); // run.c scans from index 0, BOS included
        if (eos) {
            tokens.add(EOS);
        }
        return tokens.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Repeatedly merges the adjacent pair whose concatenation is the best-scoring piece. */
    private void mergePairs(List<Integer> tokens, int from) {
        while (true) {
            float best = -1e10f;
            int bestId = -1;
            int bestIdx = -1;
            for (int i = from; i < tokens.size() - 1; i++) {
                Integer merged = lookup.get(latin1(pieces[tokens.get(i)]) + latin1(pieces[tokens.get(i + 1)]));
                if (merged != null && scores[merged] > best) {
                    best = scores[merged];
                    bestId = merged;
                    bestIdx = i;
                }
            }
            if (bestIdx == -1) {
                return;
            }
            tokens.set(bestIdx, bestId);
            tokens.remove(bestIdx + 1);
        }
    }

    @Override
    public String decode(int previous, int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int prev = previous;
        for (int id : ids) {
            byte[] piece = pieces[id];
            int start = (prev == BOS && piece.length > 0 && piece[0] == ' ') ? 1 : 0;
            int raw = rawByte(piece);
            if (raw >= 0) {
                out.write(raw);
            } else {
                out.write(piece, start, piece.length - start);
            }
            prev = id;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The byte of a {@code <0xXX>} piece, or -1. */
    private static int rawByte(byte[] piece) {
        if (piece.length == 6 && piece[0] == '<' && piece[1] == '0' && piece[2] == 'x' && piece[5] == '>') {
            try {
                return Integer.parseInt(new String(piece, 3, 2, StandardCharsets.US_ASCII), 16);
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return -1;
    }

    private int id(byte[] piece) {
        Integer id = lookup.get(latin1(piece));
        if (id == null) {
            throw new ModelFormatException("tokenizer has no piece for " + Arrays.toString(piece));
        }
        return id;
    }

    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    @Override
    public int vocabSize() {
        return pieces.length;
    }

    /** The raw piece text of {@code id}. */
    public String piece(int id) {
        return new String(pieces[id], StandardCharsets.UTF_8);
    }
}
