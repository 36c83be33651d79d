package io.moelora.core.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moelora.core.adapter.AdapterConfig;
import io.moelora.core.adapter.AdapterSet;
import io.moelora.core.io.SafetensorsFile;
import io.moelora.core.model.LlamaModel;
import io.moelora.core.model.ModelFormatException;
import io.moelora.core.train.TrainingState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a checkpoint after checking its manifest (every file's sha256 and the digest) and the
 * tensor shapes against its config and the base model. Any mismatch is refused with the file and
 * the reason.
 */
public final class CheckpointReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CheckpointReader() {}

    public static LoadedCheckpoint read(Path dir, LlamaModel model) {
        if (!Files.isDirectory(dir)) {
            throw new CheckpointException(dir + ": not a checkpoint directory");
        }
        Manifest manifest = Manifest.verify(dir);
        AdapterConfig config;
        String baseModel;
        TrainingState state;
        try {
            JsonNode configJson = JSON.readTree(Files.readString(dir.resolve(CheckpointFiles.ADAPTER_CONFIG)));
            config = AdapterConfigJson.read(configJson);
            baseModel = configJson.path("base_model").asText("");
            state = JSON.readValue(dir.resolve(CheckpointFiles.TRAINING_STATE).toFile(), TrainingState.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new CheckpointException(dir + ": invalid " + CheckpointFiles.ADAPTER_CONFIG + " or "
                    + CheckpointFiles.TRAINING_STATE + ": " + e.getMessage(), e);
        }
        if (state.formatVersion() != TrainingState.FORMAT_VERSION) {
            throw new CheckpointException(dir + ": training_state format " + state.formatVersion()
                    + " is not supported (expected " + TrainingState.FORMAT_VERSION + ")");
        }
        Path modelFile = dir.resolve(CheckpointFiles.ADAPTER_MODEL);
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        AdapterSet adapters;
        try {
            SafetensorsFile st = SafetensorsFile.open(modelFile);
            st.entries().values().forEach(e -> {
                values.put(e.name(), st.readFloats(e.name()));
                shapes.put(e.name(), e.shape());
            });
            adapters = AdapterSet.fromPeft(model, config, values, shapes, modelFile.toString());
        } catch (ModelFormatException e) {
            throw new CheckpointException(e.getMessage(), e);
        }
        SafetensorsFile opt = SafetensorsFile.open(dir.resolve(CheckpointFiles.OPTIMIZER));
        Map<String, float[]> moments = new LinkedHashMap<>();
        opt.entries().keySet().forEach(k -> moments.put(k, opt.readFloats(k)));
        int updates = Integer.parseInt(opt.metadata().getOrDefault("updates", "0"));
        return new LoadedCheckpoint(adapters, state, moments, updates, baseModel, manifest);
    }
}
