package io.moelora.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moelora.core.model.TokenBatch;
import io.moelora.core.runtime.DjlRuntime;
import io.moelora.core.testing.GoldenFixtures;
import io.moelora.core.testing.TinyLlamaFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sharded checkpoints (index + shards) and the Hugging Face tokenizer, offline from a local file. */
class ShardedAndTokenizerTest {

    @TempDir
    Path dir;

    @Test
    void shardedDirectoryGivesTheSameLogitsAsTheSingleFile() throws Exception {
        Path single = TinyLlamaFixture.write(GoldenFixtures.json("tiny-llama-half_mha.json"), dir.resolve("single"));
        Path sharded = Files.createDirectories(dir.resolve("sharded"));
        Files.copy(single.resolve("config.json"), sharded.resolve("config.json"));
        SafetensorsFile all = SafetensorsFile.open(single.resolve("model.safetensors"));
        SafetensorsWriter first = new SafetensorsWriter();
        SafetensorsWriter second = new SafetensorsWriter();
        ObjectNode index = new ObjectMapper().createObjectNode();
        ObjectNode map = index.putObject("weight_map");
        int i = 0;
        for (SafetensorsFile.Entry e : all.entries().values()) {
            boolean one = i++ % 2 == 0;
            (one ? first : second).addF32(e.name(), e.shape(), all.readFloats(e.name()));
            map.put(e.name(), one ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors");
        }
        first.write(sharded.resolve("model-00001-of-00002.safetensors"));
        second.write(sharded.resolve("model-00002-of-00002.safetensors"));
        new ObjectMapper().writeValue(sharded.resolve(HfCheckpoint.INDEX).toFile(), index);

        try (LoadedModel a = ModelLoader.load(single, null); LoadedModel b = ModelLoader.load(sharded, null);
                NDManager m = DjlRuntime.newManager()) {
            DjlRuntime.inferenceMode();
            TokenBatch batch = TokenBatch.leftPadded(List.of(new int[] {1, 7, 9, 11}), 0);
            NDArray la = a.model().logits(m, batch, null);
            NDArray lb = b.model().logits(m, batch, null);
            assertThat(la.sub(lb).abs().max().getFloat()).isZero();
        }
    }

    @Test
    void huggingFaceTokenizerEncodesAndDecodesOffline() throws Exception {
        Path model = TinyLlamaFixture.write(GoldenFixtures.json("tiny-llama-half_mha.json"), dir.resolve("hf"));
        try (LoadedModel m = ModelLoader.load(model, null)) {
            assertThat(m.tokenizer()).isInstanceOf(io.moelora.core.tokenizer.HfTokenizer.class);
            assertThat(m.tokenizer().encode("w5 w9 w63", true, false)).containsExactly(1, 5, 9, 63);
            assertThat(m.tokenizer().encode("w5", true, true)).containsExactly(1, 5, 2);
            assertThat(m.tokenizer().encode("unknownword", false, false)).containsExactly(0);
            assertThat(m.tokenizer().decode(1, new int[] {5, 9})).isEqualTo("w5 w9");
        }
    }
}
