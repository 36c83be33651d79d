package io.moelora.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moelora.core.model.ModelFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A memory-mapped safetensors file: an 8-byte little-endian header length, a JSON header, then the
 * raw data. Tensors are read on demand; fp16 and bf16 are widened to float32 in Java because DJL's
 * PyTorch engine aborts the JVM on bf16. The mapping is never modified.
 */
public final class SafetensorsFile {

    /** One tensor's entry in the header. */
    public record Entry(String name, SafetensorsDType dtype, long[] shape, long begin, long end) {
        public long elements() {
            long n = 1;
            for (long s : shape) {
                n *= s;
            }
            return n;
        }
    }

    private static final long MAX_HEADER = 100L * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final long dataStart; // byte offset of the data section
    private final Map<String, Entry> entries;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path file, long dataStart, Map<String, Entry> entries, Map<String, String> metadata) {
        this.file = file;
        this.dataStart = dataStart;
        this.entries = entries;
        this.metadata = metadata;
    }

    /** Opens and validates the header (offsets, sizes, dtypes); the data is mapped, not read. */
    public static SafetensorsFile open(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new ModelFormatException(file + ": not a safetensors file: " + size + " bytes");
            }
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(len, 0);
            long headerLength = len.flip().getLong();
            if (headerLength <= 0 || headerLength > MAX_HEADER || 8 + headerLength > size) {
                throw new ModelFormatException(file + ": corrupt safetensors header length " + headerLength
                        + " (file has " + size + " bytes)");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLength);
            ch.read(header, 8);
            String json = new String(header.array(), StandardCharsets.UTF_8);
            long dataStart = 8 + headerLength;
            Map<String, String> metadata = new LinkedHashMap<>();
            Map<String, Entry> entries = parseHeader(file, json, size - dataStart, metadata);
            return new SafetensorsFile(file, dataStart, entries, metadata);
        } catch (IOException e) {
            throw new ModelFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static Map<String, Entry> parseHeader(Path file, String json, long dataBytes, Map<String, String> metadata) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(file + ": corrupt safetensors header: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelFormatException(file + ": corrupt safetensors header: not a JSON object");
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            JsonNode node = field.getValue();
            if (name.equals("__metadata__")) {
                node.fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            SafetensorsDType dtype = SafetensorsDType.parse(file.toString(), name, node.path("dtype").asText(null));
            JsonNode shapeNode = node.path("shape");
            JsonNode offsets = node.path("data_offsets");
            if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
                throw new ModelFormatException(file + ": tensor " + name + " has no valid shape/data_offsets");
            }
            long[] shape = new long[shapeNode.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shapeNode.get(i).asLong(-1);
                if (shape[i] < 0) {
                    throw new ModelFormatException(file + ": tensor " + name + " has a negative dimension");
                }
            }
            Entry e = new Entry(name, dtype, shape, offsets.get(0).asLong(-1), offsets.get(1).asLong(-1));
            long expectedBytes = e.elements() * dtype.bytes();
            if (e.begin() < 0 || e.end() < e.begin() || e.end() - e.begin() != expectedBytes) {
                throw new ModelFormatException(file + ": tensor " + name + " data_offsets [" + e.begin() + ", " + e.end()
                        + "] do not hold " + expectedBytes + " bytes of " + dtype + " " + java.util.Arrays.toString(shape));
            }
            if (e.end() > dataBytes) {
                throw new ModelFormatException(file + ": truncated: tensor " + name + " ends at data byte " + e.end()
                        + " but the file has only " + dataBytes + " data bytes");
            }
            entries.put(name, e);
        }
        return entries;
    }

    public Path path() {
        return file;
    }

    /** Tensor entries in header order. */
    public Map<String, Entry> entries() {
        return Collections.unmodifiableMap(entries);
    }

    /** The {@code __metadata__} map (empty when absent). */
    public Map<String, String> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    /** A tensor's values as float32 (widened from F16/BF16, narrowed from F64). */
    public float[] readFloats(String name) {
        Entry e = entry(name);
        int n = Math.toIntExact(e.elements());
        float[] out = new float[n];
        ByteBuffer b = slice(e);
        switch (e.dtype()) {
            case F32 -> b.asFloatBuffer().get(out);
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = HalfFloats.f16ToFloat(b.getShort(2 * i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = HalfFloats.bf16ToFloat(b.getShort(2 * i));
                }
            }
            case F64 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) b.getDouble(8 * i);
                }
            }
            default -> throw new ModelFormatException(file + ": tensor " + name + " is " + e.dtype() + ", not a float type");
        }
        return out;
    }

    /** An integer tensor's values widened to long. */
    public long[] readLongs(String name) {
        Entry e = entry(name);
        int n = Math.toIntExact(e.elements());
        long[] out = new long[n];
        ByteBuffer b = slice(e);
        for (int i = 0; i < n; i++) {
            out[i] = switch (e.dtype()) {
                case I64 -> b.getLong(8 * i);
                case I32 -> b.getInt(4 * i);
                case I16 -> b.getShort(2 * i);
                case I8 -> b.get(i);
                case U8, BOOL -> b.get(i) & 0xff;
                default -> throw new ModelFormatException(file + ": tensor " + name + " is " + e.dtype() + ", not an integer type");
            };
        }
        return out;
    }

    /** Loads a float tensor as a float32 NDArray owned by {@code manager}. */
    public NDArray loadFloat32(String name, NDManager manager) {
        Entry e = entry(name);
        return manager.create(readFloats(name), new Shape(e.shape())).toType(DataType.FLOAT32, false);
    }

    private Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new ModelFormatException(file + ": missing tensor " + name);
        }
        return e;
    }

    /** Maps one tensor's bytes: per-tensor mappings keep shards above 2 GiB readable. */
    private ByteBuffer slice(Entry e) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            // a mapping stays valid after its channel is closed
            return ch.map(FileChannel.MapMode.READ_ONLY, dataStart + e.begin(), e.end() - e.begin())
                    .order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException ex) {
            throw new ModelFormatException(file + ": cannot read tensor " + e.name() + ": " + ex.getMessage(), ex);
        }
    }
}
