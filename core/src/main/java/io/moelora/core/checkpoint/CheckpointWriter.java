package io.moelora.core.checkpoint;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.moelora.core.adapter.AdapterParameter;
import io.moelora.core.adapter.AdapterSet;
import io.moelora.core.io.SafetensorsWriter;
import io.moelora.core.train.AdamW;
import io.moelora.core.train.TrainingState;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Writes an adapter checkpoint atomically: every file goes into a temporary sibling directory,
 * which is renamed into place only when complete, so readers never see half a checkpoint.
 */
public final class CheckpointWriter {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CheckpointWriter() {}

    /**
     * @param target the checkpoint directory to create (must not exist)
     * @param baseModel reference of the base model the adapter belongs to
     * @return the manifest (its digest identifies the checkpoint)
     */
    public static Manifest write(Path target, AdapterSet adapters, AdamW optimizer, TrainingState state, String baseModel) {
        if (Files.exists(target)) {
            throw new CheckpointException(target + ": already exists; checkpoints are never overwritten");
        }
        Path parent = target.toAbsolutePath().getParent();
        Path tmp = parent.resolve("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            Files.createDirectories(tmp);
            SafetensorsWriter model = new SafetensorsWriter().metadata("format", "pt");
            for (Map.Entry<String, float[]> e : adapters.peftValues().entrySet()) {
                AdapterParameter p = adapters.parameters().get(e.getKey());
                requireFinite(target, e.getKey(), e.getValue());
                model.addF32(e.getKey(), p.peftShape(), e.getValue());
            }
            model.write(tmp.resolve(CheckpointFiles.ADAPTER_MODEL));

            SafetensorsWriter moments = new SafetensorsWriter().metadata("format", "moelora-adamw")
                    .metadata("updates", Integer.toString(optimizer.updates()));
            for (Map.Entry<String, NDArray> e : optimizer.moments().entrySet()) {
                moments.addF32(e.getKey(), e.getValue().getShape().getShape(), e.getValue().toFloatArray());
            }
            moments.write(tmp.resolve(CheckpointFiles.OPTIMIZER));

            JSON.writeValue(tmp.resolve(CheckpointFiles.ADAPTER_CONFIG).toFile(),
                    AdapterConfigJson.write(adapters.config(), baseModel));
            JSON.writeValue(tmp.resolve(CheckpointFiles.TRAINING_STATE).toFile(), state);
            Manifest manifest = Manifest.of(tmp);
            manifest.write(tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
            return manifest;
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new CheckpointException(target + ": cannot write checkpoint: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(tmp);
            throw e;
        }
    }

    private static void requireFinite(Path target, String key, float[] values) {
        for (float v : values) {
            if (!Float.isFinite(v)) {
                throw new CheckpointException(target + ": refusing to write a non-finite value in " + key);
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a leftover temporary directory is never mistaken for a checkpoint
        }
    }
}
