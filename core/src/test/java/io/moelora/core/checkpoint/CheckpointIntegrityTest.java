package io.moelora.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moelora.core.adapter.AdapterConfig;
import io.moelora.core.adapter.AdapterSet;
import io.moelora.core.io.LoadedModel;
import io.moelora.core.testing.TinyModels;
import io.moelora.core.train.AdapterTrainer;
import io.moelora.core.train.TrainingOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tampered, lying or mismatched checkpoints are refused with the file and the reason. */
class CheckpointIntegrityTest {

    @TempDir
    static Path dir;

    static LoadedModel base;

    @BeforeAll
    static void load() {
        base = TinyModels.halfMha(dir.resolve("base"));
    }

    @AfterAll
    static void close() {
        base.close();
    }

    private Path write(String name) {
        AdapterConfig config = AdapterConfig.moelora(4, 2, 2, 16, 0, List.of("q_proj", "v_proj"), 0.1, 0.1, 64, 0.01);
        Path target = dir.resolve(name);
        try (AdapterSet set = AdapterSet.create(base.model(), config, 1);
                AdapterTrainer trainer = new AdapterTrainer(base.model(), set, TrainingOptions.defaults(), 10)) {
            Manifest m = CheckpointWriter.write(target, set, trainer.optimizer(), trainer.state(0, 0, Map.of()), "tiny");
            assertThat(m.digest()).hasSize(64);
        }
        return target;
    }

    @Test
    void writesEveryFileAtomicallyAndNeverOverwrites() throws Exception {
        Path ckpt = write("ok");
        assertThat(Files.list(ckpt).map(p -> p.getFileName().toString()).toList())
                .containsExactlyInAnyOrder("adapter_model.safetensors", "adapter_config.json", "training_state.json",
                        "optimizer.safetensors", "manifest.json");
        assertThat(Files.list(dir).map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".tmp-"));
        assertThatThrownBy(() -> write("ok")).isInstanceOf(CheckpointException.class).hasMessageContaining("already exists");
        try (LoadedCheckpoint c = CheckpointReader.read(ckpt, base.model())) {
            assertThat(c.baseModel()).isEqualTo("tiny");
            assertThat(c.adapters().parameters()).containsKey(
                    "base_model.model.model.layers.1.self_attn.v_proj.moelora_router.weight");
        }
    }

    @Test
    void flippedBytesAreRefused() throws Exception {
        Path ckpt = write("flipped");
        Path model = ckpt.resolve(CheckpointFiles.ADAPTER_MODEL);
        byte[] bytes = Files.readAllBytes(model);
        bytes[bytes.length - 3] ^= 0x40;
        Files.write(model, bytes);
        assertThatThrownBy(() -> CheckpointReader.read(ckpt, base.model()))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("adapter_model.safetensors sha256 mismatch");
    }

    @Test
    void aManifestThatLiesIsRefused() throws Exception {
        Path ckpt = write("lying");
        ObjectMapper json = new ObjectMapper();
        ObjectNode manifest = (ObjectNode) json.readTree(ckpt.resolve(CheckpointFiles.MANIFEST).toFile());
        manifest.put("digest", "0".repeat(64));
        json.writeValue(ckpt.resolve(CheckpointFiles.MANIFEST).toFile(), manifest);
        assertThatThrownBy(() -> CheckpointReader.read(ckpt, base.model()))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("checkpoint digest mismatch");
    }

    @Test
    void shapesThatDisagreeWithTheConfigAreRefused() throws Exception {
        Path ckpt = write("reshaped");
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode) json.readTree(ckpt.resolve(CheckpointFiles.ADAPTER_CONFIG).toFile());
        config.put("num_experts", 8); // the tensors hold 4 experts
        json.writeValue(ckpt.resolve(CheckpointFiles.ADAPTER_CONFIG).toFile(), config);
        Manifest.of(ckpt).write(ckpt); // a consistent manifest: the shapes alone must be caught
        assertThatThrownBy(() -> CheckpointReader.read(ckpt, base.model()))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("moelora_A.weight has shape [4, 2, 32], expected [8, 2, 32]");
    }
}
