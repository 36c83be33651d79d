package io.moelora.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.moelora.core.model.LlamaConfig;
import io.moelora.core.model.ModelFormatException;
import io.moelora.core.model.SyntheticWeights;
import io.moelora.core.testing.GoldenFixtures;
import io.moelora.core.testing.TinyLlamaFixture;
import io.moelora.core.tokenizer.ByteTokenizer;
import io.moelora.core.tokenizer.HfTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which tokenizer a model directory gets: tokenizer.json, else the byte tokenizer named by
 * tokenizer_config.json; without either, {@link ModelLoader#loadWithTokenizer} refuses with a reason.
 */
class DirectoryTokenizerTest {

    @TempDir
    Path dir;

    @Test
    void markerGivesTheByteTokenizer() throws Exception {
        Path model = tinyDirectory("marked");
        ByteTokenizerMarker.write(model);
        try (LoadedModel m = ModelLoader.loadWithTokenizer(model, null)) {
            assertThat(m.tokenizer()).isInstanceOf(ByteTokenizer.class);
            assertThat(m.tokenizer().decode(-1, m.tokenizer().encode("héllo", true, true))).isEqualTo("héllo");
        }
    }

    @Test
    void withoutTokenizerOrMarkerOnlyIdsCanBeUsedAndLoadWithTokenizerRefuses() throws Exception {
        Path model = tinyDirectory("bare");
        try (LoadedModel m = ModelLoader.load(model, null)) {
            assertThat(m.tokenizer()).isNull();
        }
        assertThatThrownBy(() -> ModelLoader.loadWithTokenizer(model, null))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(model + ": no tokenizer")
                .hasMessageContaining("tokenizer.json")
                .hasMessageContaining("\"tokenizer_class\": \"MoeloraByteTokenizer\"");
    }

    @Test
    void anotherTokenizerClassStillNeedsTokenizerJson() throws Exception {
        Path model = tinyDirectory("llama-class");
        Files.writeString(model.resolve(ByteTokenizerMarker.FILE), "{\"tokenizer_class\": \"LlamaTokenizer\"}");
        assertThatThrownBy(() -> ModelLoader.loadWithTokenizer(model, null))
                .hasMessageContaining("names \"LlamaTokenizer\", which needs tokenizer.json");
    }

    @Test
    void markerOnAModelWithOtherSpecialIdsIsRefused() throws Exception {
        Path model = tinyDirectory("other-eos");
        Files.writeString(model.resolve(HfCheckpoint.CONFIG),
                Files.readString(model.resolve(HfCheckpoint.CONFIG)).replace("\"eos_token_id\" : 2", "\"eos_token_id\" : 5"));
        ByteTokenizerMarker.write(model);
        assertThatThrownBy(() -> ModelLoader.load(model, null))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("MoeloraByteTokenizer needs vocab_size 259, bos_token_id 1 and eos_token_id 2")
                .hasMessageContaining("got 259, 1 and 5");
    }

    @Test
    void tokenizerJsonWinsOverTheMarker() throws Exception {
        Path model = tinyDirectory("both");
        ByteTokenizerMarker.write(model);
        Path fixture = TinyLlamaFixture.write(GoldenFixtures.json("tiny-llama-half_mha.json"), dir.resolve("fixture"));
        Files.copy(fixture.resolve("tokenizer.json"), model.resolve("tokenizer.json"));
        try (LoadedModel m = ModelLoader.loadWithTokenizer(model, null)) {
            assertThat(m.tokenizer()).isInstanceOf(HfTokenizer.class);
        }
    }

    /** The builtin:tiny config and weights as a directory without any tokenizer file. */
    private Path tinyDirectory(String name) throws Exception {
        Path model = Files.createDirectories(dir.resolve(name));
        LlamaConfig config = BuiltinModels.tinyConfig();
        SyntheticWeights weights = new SyntheticWeights(config);
        SafetensorsWriter writer = new SafetensorsWriter();
        int k = 0;
        for (String tensor : weights.names()) {
            long[] shape = weights.shapeOf(tensor).orElseThrow();
            writer.addF32(tensor, shape, SyntheticWeights.values(tensor, shape, k++));
        }
        writer.write(model.resolve(HfCheckpoint.SINGLE));
        new ObjectMapper().writerWithDefaultPrettyPrinter()
                .writeValue(model.resolve(HfCheckpoint.CONFIG).toFile(), HfConfig.json(config));
        return model;
    }
}
