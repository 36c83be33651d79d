package io.moelora.core.pretrain;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.moelora.core.io.ByteTokenizerMarker;
import io.moelora.core.io.HfCheckpoint;
import io.moelora.core.io.HfConfig;
import io.moelora.core.io.SafetensorsWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Writes a pre-trained base as a Hugging Face model directory that {@code ModelLoader} reads:
 * {@code config.json}, {@code model.safetensors} (float32, checkpoint names and layout),
 * {@code tokenizer_config.json} naming the byte tokenizer, and {@link PretrainRecord#FILE} last.
 *
 * <p>Everything goes into a temporary sibling directory that is renamed into place when complete, so
 * a reader (or a second process ensuring the same base) never sees half a model. An existing target
 * is first renamed aside and deleted after the swap.
 */
public final class BaseModelWriter {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private BaseModelWriter() {}

    /**
     * @param record builds the record from the sha256 of the written {@code model.safetensors}
     * @return the record as written
     */
    public static PretrainRecord write(Path target, TrainableBase base, Function<String, PretrainRecord> record) {
        Path dir = target.toAbsolutePath().normalize();
        Path tmp = dir.resolveSibling("." + dir.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            Files.createDirectories(tmp);
            SafetensorsWriter weights = new SafetensorsWriter().metadata("format", "pt");
            for (Map.Entry<String, NDArray> p : base.parameters().entrySet()) {
                float[] values = p.getValue().toFloatArray();
                for (float v : values) {
                    if (!Float.isFinite(v)) {
                        throw new IllegalStateException(p.getKey() + " holds a non-finite value; the base is not written");
                    }
                }
                weights.addF32(p.getKey(), p.getValue().getShape().getShape(), values);
            }
            weights.write(tmp.resolve(HfCheckpoint.SINGLE));
            JSON.writeValue(tmp.resolve(HfCheckpoint.CONFIG).toFile(), HfConfig.json(base.model().config()));
            ByteTokenizerMarker.write(tmp);
            PretrainRecord written = record.apply(sha256(tmp.resolve(HfCheckpoint.SINGLE)));
            written.write(tmp);
            swapIn(tmp, dir);
            return written;
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new UncheckedIOException(dir + ": cannot write the base model: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(tmp);
            throw e;
        }
    }

    private static void swapIn(Path staged, Path target) throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            old = target.resolveSibling("." + target.getFileName() + ".old-" + UUID.randomUUID());
            move(target, old);
        }
        move(staged, target);
        if (old != null) {
            deleteQuietly(old);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    /** sha256 (hex) of a file (the tiny base's weights are under a megabyte). */
    static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a leftover hidden temporary directory is never mistaken for the base
        }
    }
}
