package io.moelora.core.pretrain;

import io.moelora.core.data.InstructionExample;
import io.moelora.core.data.Prompts;
import io.moelora.core.tokenizer.TextTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The built-in pre-training text of the tiny base model, as documents: every paragraph of
 * {@code sentences.txt} (generic simple English: facts, kinds of things, days and numbers, small
 * counting stories), and every row of {@code instructions.tsv} (generic requests such as opposites,
 * plurals or the next day) wrapped in the LLM-Adapters prompt template, alternately the training and
 * the evaluation form, followed by its response. Both files come from {@code tools/pretrain_corpus.py}.
 *
 * <p>The text teaches bytes, words, sentences and the shape of the instruction prompt, not the
 * built-in synthetic tasks: it never contains their questions or answer formats, so adapter
 * fine-tuning is what teaches those.
 *
 * <p>Tokens are the documents in file order, each as BOS, its bytes, EOS, concatenated into one
 * stream; {@link #digest()} identifies the exact stream (it changes when the text, the template or
 * the tokenizer does), and a cached base records it.
 */
public final class PretrainCorpus {

    static final String SENTENCES = "sentences.txt";
    static final String INSTRUCTIONS = "instructions.tsv";

    private final List<String> documents;
    private final int[] tokens; // (N) the whole corpus, document after document
    private final int[] documentStarts; // (documents) index of each document's BOS in tokens
    private final String digest;

    private PretrainCorpus(List<String> documents, TextTokenizer tokenizer) {
        this.documents = List.copyOf(documents);
        List<int[]> encoded = documents.stream().map(d -> tokenizer.encode(d, true, true)).toList();
        this.tokens = new int[encoded.stream().mapToInt(e -> e.length).sum()];
        this.documentStarts = new int[encoded.size()];
        int at = 0;
        for (int i = 0; i < encoded.size(); i++) {
            documentStarts[i] = at;
            System.arraycopy(encoded.get(i), 0, tokens, at, encoded.get(i).length);
            at += encoded.get(i).length;
        }
        this.digest = sha256(tokens);
    }

    /** The built-in corpus, tokenized with {@code tokenizer} (the tiny model's byte tokenizer). */
    public static PretrainCorpus builtin(TextTokenizer tokenizer) {
        List<String> docs = new ArrayList<>();
        for (String paragraph : resource(SENTENCES).split("\n\\s*\n")) {
            if (!paragraph.isBlank()) {
                docs.add(paragraph.strip());
            }
        }
        int row = 0;
        for (String line : resource(INSTRUCTIONS).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split("\t", -1);
            if (cells.length != 3) {
                throw new IllegalStateException(INSTRUCTIONS + " line " + (row + 1) + ": expected 3 tab-separated cells, got "
                        + cells.length);
            }
            InstructionExample e = new InstructionExample(cells[0], cells[1], cells[2]);
            // Both forms: adapters train on the training prompt, evaluation uses the other one.
            docs.add(row % 2 == 0 ? Prompts.training(e) : Prompts.evaluation(e.instruction(), e.input()) + e.output());
            row++;
        }
        return new PretrainCorpus(docs, tokenizer);
    }

    /** A corpus of the given documents (tests use small ones). */
    public static PretrainCorpus of(List<String> documents, TextTokenizer tokenizer) {
        if (documents.isEmpty()) {
            throw new IllegalArgumentException("documents must not be empty");
        }
        return new PretrainCorpus(documents, tokenizer);
    }

    /** The documents as text, in order. */
    public List<String> documents() {
        return documents;
    }

    /** The token stream, shape (N). */
    public int[] tokens() {
        return tokens.clone();
    }

    public int tokenCount() {
        return tokens.length;
    }

    /** Where each document starts in {@link #tokens()}. */
    public int[] documentStarts() {
        return documentStarts.clone();
    }

    /** sha256 (hex) of the token stream (int32 little-endian). */
    public String digest() {
        return digest;
    }

    /**
     * {@code length} tokens from {@code start}, wrapping to the beginning at the end of the stream so
     * every window is full.
     */
    long[] window(int start, int length) {
        long[] out = new long[length];
        for (int i = 0; i < length; i++) {
            out[i] = tokens[(start + i) % tokens.length];
        }
        return out;
    }

    int documentStart(int document) {
        return documentStarts[document];
    }

    int documentCount() {
        return documentStarts.length;
    }

    private static String resource(String name) {
        try (InputStream in = PretrainCorpus.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name + " next to " + PretrainCorpus.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(int[] values) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] le = new byte[4];
            for (int v : values) {
                le[0] = (byte) v;
                le[1] = (byte) (v >>> 8);
                le[2] = (byte) (v >>> 16);
                le[3] = (byte) (v >>> 24);
                md.update(le);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "PretrainCorpus[" + documents.size() + " documents, " + tokens.length + " tokens, sha256 "
                + digest.substring(0, 12) + "]";
    }
}
