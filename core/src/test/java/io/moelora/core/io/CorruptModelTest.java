package io.moelora.core.io;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moelora.core.model.ModelFormatException;
import io.moelora.core.testing.GoldenFixtures;
import io.moelora.core.testing.TinyLlamaFixture;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken model files fail with a message naming the file, the tensor and expected vs actual. */
class CorruptModelTest {

    @TempDir
    Path dir;

    /** A llama2.c file for dim=8, hidden=16, 1 layer, 2 heads, 2 kv heads, vocab 16, seq 8. */
    private Path llama2c(int floatsToDrop, int dimInHeader) throws Exception {
        int floats = 16 * 8 + 8 + 8 * 8 * 4 + 8 + 3 * 8 * 16 + 8 + 8 * 4;
        ByteBuffer b = ByteBuffer.allocate(28 + 4 * (floats - floatsToDrop)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(dimInHeader).putInt(16).putInt(1).putInt(2).putInt(2).putInt(16).putInt(8);
        Path file = dir.resolve("m.bin");
        Files.write(file, b.array());
        return file;
    }

    @Test
    void wellFormedLlama2cFileLoads() throws Exception {
        ModelLoader.load(llama2c(0, 8), null).close();
    }

    @Test
    void truncatedLlama2cFileNamesExpectedAndActualSize() throws Exception {
        Path file = llama2c(10, 8);
        assertThatThrownBy(() -> ModelLoader.load(file, null))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("truncated")
                .hasMessageContaining("expected 3324 bytes")
                .hasMessageContaining("file has 3284");
    }

    @Test
    void nonsenseLlama2cHeaderIsNotAnArchitectureWeKnow() throws Exception {
        Path file = llama2c(0, -7);
        assertThatThrownBy(() -> ModelLoader.load(file, null))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("not a llama2.c checkpoint")
                .hasMessageContaining("dim=-7");
    }

    private Path tinyHf() throws Exception {
        return TinyLlamaFixture.write(GoldenFixtures.json("tiny-llama-half_mha.json"), dir.resolve("hf"));
    }

    @Test
    void missingTensorIsNamed() throws Exception {
        Path model = tinyHf();
        Path st = model.resolve("model.safetensors");
        SafetensorsFile original = SafetensorsFile.open(st);
        SafetensorsWriter w = new SafetensorsWriter();
        original.entries().values().stream()
                .filter(e -> !e.name().equals("model.layers.1.mlp.up_proj.weight"))
                .forEach(e -> w.addF32(e.name(), e.shape(), original.readFloats(e.name())));
        w.write(st);
        assertThatThrownBy(() -> ModelLoader.load(model, null))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(st.toString())
                .hasMessageContaining("missing tensor model.layers.1.mlp.up_proj.weight")
                .hasMessageContaining("[48, 32]");
    }

    @Test
    void shapeThatDisagreesWithConfigNamesBoth() throws Exception {
        Path model = tinyHf();
        editConfig(model, c -> c.put("intermediate_size", 40));
        assertThatThrownBy(() -> ModelLoader.load(model, null))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("tensor model.layers.0.mlp.gate_proj.weight has shape [48, 32], expected [40, 32]");
    }

    @Test
    void unknownArchitectureIsRefused() throws Exception {
        Path model = tinyHf();
        editConfig(model, c -> c.put("model_type", "gpt2"));
        assertThatThrownBy(() -> ModelLoader.load(model, null))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("unsupported architecture model_type='gpt2'");
    }

    @Test
    void truncatedSafetensorsNamesTheTensorThatRunsOff() throws Exception {
        Path model = tinyHf();
        Path st = model.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(st);
        Files.write(st, Arrays.copyOf(bytes, bytes.length - 100));
        assertThatThrownBy(() -> ModelLoader.load(model, null))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("truncated: tensor lm_head.weight ends at data byte");
    }

    @Test
    void garbageHeaderLengthIsReported() throws Exception {
        Path model = tinyHf();
        Path st = model.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(st);
        bytes[7] = 0x7f;
        Files.write(st, bytes);
        assertThatThrownBy(() -> ModelLoader.load(model, null))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("corrupt safetensors header length");
    }

    @Test
    void directoryWithoutConfigOrUnknownFileIsRefused() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> ModelLoader.load(empty, null)).hasMessageContaining("no config.json");
        Path txt = Files.writeString(dir.resolve("model.txt"), "hello");
        assertThatThrownBy(() -> ModelLoader.load(txt, null)).hasMessageContaining("unsupported model");
        assertThatThrownBy(() -> ModelLoader.load(dir.resolve("nope.bin"), null)).hasMessageContaining("no such file");
    }

    private static void editConfig(Path model, java.util.function.Consumer<ObjectNode> edit) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode) json.readTree(model.resolve("config.json").toFile());
        edit.accept(config);
        json.writeValue(model.resolve("config.json").toFile(), config);
    }
}
