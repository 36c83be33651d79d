package io.moelora.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moelora.core.model.LlamaAssembler;
import io.moelora.core.model.LlamaConfig;
import io.moelora.core.model.LlamaModel;
import io.moelora.core.model.ModelFormatException;
import io.moelora.core.model.TensorSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A Hugging Face model directory: {@code config.json} plus {@code model.safetensors} or shards listed
 * in {@code model.safetensors.index.json}.
 */
public final class HfCheckpoint {

    public static final String CONFIG = "config.json";
    public static final String SINGLE = "model.safetensors";
    public static final String INDEX = "model.safetensors.index.json";

    private HfCheckpoint() {}

    public static LlamaModel load(Path dir, NDManager manager) {
        Path configJson = dir.resolve(CONFIG);
        if (!Files.isRegularFile(configJson)) {
            throw new ModelFormatException(dir + ": not a Hugging Face model directory (no " + CONFIG + ")");
        }
        LlamaConfig config = HfConfig.read(configJson);
        return LlamaAssembler.assemble(config, tensors(dir), manager);
    }

    /** All tensors of the directory, across shards. */
    static TensorSource tensors(Path dir) {
        Path single = dir.resolve(SINGLE);
        Path index = dir.resolve(INDEX);
        Map<String, SafetensorsFile> byTensor = new HashMap<>();
        String describe;
        if (Files.isRegularFile(single)) {
            SafetensorsFile f = SafetensorsFile.open(single);
            f.entries().keySet().forEach(name -> byTensor.put(name, f));
            describe = single.toString();
        } else if (Files.isRegularFile(index)) {
            Map<String, SafetensorsFile> shards = new HashMap<>();
            JsonNode weightMap;
            try {
                weightMap = new ObjectMapper().readTree(Files.readString(index)).path("weight_map");
            } catch (IOException e) {
                throw new ModelFormatException(index + ": cannot read: " + e.getMessage(), e);
            }
            if (!weightMap.isObject()) {
                throw new ModelFormatException(index + ": no weight_map object");
            }
            weightMap.fields().forEachRemaining(e -> {
                String shard = e.getValue().asText();
                Path shardPath = dir.resolve(shard).normalize();
                if (!shardPath.startsWith(dir.normalize())) {
                    throw new ModelFormatException(index + ": shard '" + shard + "' points outside the model directory");
                }
                SafetensorsFile f = shards.computeIfAbsent(shard, s -> SafetensorsFile.open(shardPath));
                byTensor.put(e.getKey(), f);
            });
            describe = index.toString();
        } else {
            throw new ModelFormatException(dir + ": neither " + SINGLE + " nor " + INDEX + " found");
        }
        return new Source(describe, byTensor);
    }

    private record Source(String describe, Map<String, SafetensorsFile> byTensor) implements TensorSource {
        @Override
        public Optional<long[]> shapeOf(String name) {
            SafetensorsFile f = byTensor.get(name);
            return f == null ? Optional.empty() : Optional.of(f.entries().get(name).shape().clone());
        }

        @Override
        public NDArray load(String name, NDManager manager) {
            SafetensorsFile f = byTensor.get(name);
            if (!f.entries().get(name).dtype().isFloat()) {
                throw new ModelFormatException(f.path() + ": tensor " + name + " has dtype "
                        + f.entries().get(name).dtype() + ", expected a float type");
            }
            return f.loadFloat32(name, manager);
        }
    }
}
