package io.moelora.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.moelora.core.model.LlamaAssembler;
import io.moelora.core.model.LlamaConfig;
import io.moelora.core.model.LlamaModel;
import io.moelora.core.model.ModelFormatException;
import io.moelora.core.model.RopeLayout;
import io.moelora.core.model.TensorSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * llama2.c "legacy" checkpoints: a header of 7 int32 (dim, hidden_dim, n_layers, n_heads, n_kv_heads,
 * vocab_size, seq_len) then float32 tensors in run.c's order, all layers of one kind together. A
 * negative vocab_size means an untied classifier follows the two legacy RoPE tables.
 */
public final class Llama2cCheckpoint {

    private static final int HEADER_BYTES = 28;
    /** run.c stops on BOS; llama2.c models end sequences with it. */
    public static final int BOS = 1;
    public static final int EOS = 2;

    private Llama2cCheckpoint() {}

    /** Reads just the header. */
    public static LlamaConfig readConfig(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return parseHeader(file, ch);
        } catch (IOException e) {
            throw new ModelFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Loads the model into {@code manager} (which then owns the weights). */
    public static LlamaModel load(Path file, NDManager manager) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            LlamaConfig config = parseHeader(file, ch);
            FloatBuffer data = ch.map(FileChannel.MapMode.READ_ONLY, HEADER_BYTES, ch.size() - HEADER_BYTES)
                    .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            return LlamaAssembler.assemble(config, new Source(file, config, data), manager);
        } catch (IOException e) {
            throw new ModelFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static LlamaConfig parseHeader(Path file, FileChannel ch) throws IOException {
        if (ch.size() < HEADER_BYTES) {
            throw new ModelFormatException(file + ": not a llama2.c checkpoint: " + ch.size()
                    + " bytes is shorter than the 28-byte header");
        }
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        ch.read(header, 0);
        header.flip();
        int dim = header.getInt();
        int hidden = header.getInt();
        int layers = header.getInt();
        int heads = header.getInt();
        int kvHeads = header.getInt();
        int vocab = header.getInt();
        int seqLen = header.getInt();
        boolean tied = vocab > 0;
        LlamaConfig config;
        try {
            config = new LlamaConfig(Math.abs(vocab), dim, hidden, layers, heads, kvHeads, seqLen, 1e-5f, 10000f,
                    RopeLayout.INTERLEAVED, tied, false, BOS, EOS);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file + ": not a llama2.c checkpoint (header dim=" + dim + " hidden_dim="
                    + hidden + " n_layers=" + layers + " n_heads=" + heads + " n_kv_heads=" + kvHeads + " vocab_size="
                    + vocab + " seq_len=" + seqLen + "): " + e.getMessage(), e);
        }
        long expected = HEADER_BYTES + 4L * floatCount(config);
        if (ch.size() != expected) {
            throw new ModelFormatException(file + ": " + (ch.size() < expected ? "truncated" : "unexpected trailing data")
                    + ": expected " + expected + " bytes for dim=" + dim + " hidden_dim=" + hidden + " n_layers=" + layers
                    + " n_heads=" + heads + " n_kv_heads=" + kvHeads + " vocab_size=" + vocab + " seq_len=" + seqLen
                    + ", file has " + ch.size());
        }
        return config;
    }

    private static long floatCount(LlamaConfig c) {
        long d = c.dim();
        long l = c.nLayers();
        long kv = c.kvDim();
        long n = (long) c.vocabSize() * d + l * d + l * d * d + 2 * l * d * kv + l * d * d + l * d
                + 3 * l * d * c.hiddenDim() + d + (long) c.maxSeqLen() * c.headDim(); // the two legacy RoPE tables
        return c.tiedEmbeddings() ? n : n + (long) c.vocabSize() * d;
    }

    /** Maps run.c's tensor order onto Hugging Face names: (offset in floats, shape) per tensor. */
    private static final class Source implements TensorSource {
        private final Path file;
        private final FloatBuffer data;
        private final Map<String, long[]> offsetsAndShapes = new LinkedHashMap<>();

        Source(Path file, LlamaConfig c, FloatBuffer data) {
            this.file = file;
            this.data = data;
            long d = c.dim();
            long kv = c.kvDim();
            long f = c.hiddenDim();
            long[] cursor = {0};
            put(cursor, "model.embed_tokens.weight", c.vocabSize(), d);
            perLayer(cursor, c, "input_layernorm.weight", d);
            perLayer(cursor, c, "self_attn.q_proj.weight", d, d);
            perLayer(cursor, c, "self_attn.k_proj.weight", kv, d);
            perLayer(cursor, c, "self_attn.v_proj.weight", kv, d);
            perLayer(cursor, c, "self_attn.o_proj.weight", d, d);
            perLayer(cursor, c, "post_attention_layernorm.weight", d);
            perLayer(cursor, c, "mlp.gate_proj.weight", f, d); // w1
            perLayer(cursor, c, "mlp.down_proj.weight", d, f); // w2
            perLayer(cursor, c, "mlp.up_proj.weight", f, d); // w3
            put(cursor, "model.norm.weight", d);
            cursor[0] += (long) c.maxSeqLen() * c.headDim(); // freq_cis_real + freq_cis_imag, unused
            if (!c.tiedEmbeddings()) {
                put(cursor, "lm_head.weight", c.vocabSize(), d);
            }
        }

        private void perLayer(long[] cursor, LlamaConfig c, String suffix, long... shape) {
            for (int l = 0; l < c.nLayers(); l++) {
                put(cursor, "model.layers." + l + "." + suffix, shape);
            }
        }

        private void put(long[] cursor, String name, long... shape) {
            long[] entry = new long[shape.length + 1];
            entry[0] = cursor[0];
            System.arraycopy(shape, 0, entry, 1, shape.length);
            offsetsAndShapes.put(name, entry);
            long n = 1;
            for (long s : shape) {
                n *= s;
            }
            cursor[0] += n;
        }

        @Override
        public String describe() {
            return file.toString();
        }

        @Override
        public Optional<long[]> shapeOf(String name) {
            long[] entry = offsetsAndShapes.get(name);
            return entry == null ? Optional.empty() : Optional.of(java.util.Arrays.copyOfRange(entry, 1, entry.length));
        }

        @Override
        public NDArray load(String name, NDManager manager) {
            long[] entry = offsetsAndShapes.get(name);
            long[] shape = java.util.Arrays.copyOfRange(entry, 1, entry.length);
            float[] values = new float[Math.toIntExact(new Shape(shape).size())];
            data.duplicate().position(Math.toIntExact(entry[0])).get(values);
            return manager.create(values, new Shape(shape));
        }
    }
}
