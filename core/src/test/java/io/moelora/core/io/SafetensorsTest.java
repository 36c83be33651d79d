package io.moelora.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moelora.core.testing.GoldenFixtures;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reader against a file written by the Python reference; the writer's layout and round trip. */
class SafetensorsTest {

    @TempDir
    Path dir;

    @Test
    void readsEveryDtypeOfTheReferenceFileExactly() throws Exception {
        Path file = dir.resolve("mixed.safetensors");
        try (InputStream in = getClass().getResourceAsStream("/golden/mixed-dtypes.safetensors")) {
            Files.copy(in, file);
        }
        SafetensorsFile st = SafetensorsFile.open(file);
        JsonNode expected = GoldenFixtures.json("mixed-dtypes.expected.json").get("tensors");
        assertThat(st.entries().keySet()).containsExactly("a.f32", "b.f16", "c.bf16", "d.i64", "e.scalar");
        assertThat(st.metadata()).containsEntry("format", "pt");
        expected.fields().forEachRemaining(e -> {
            String name = e.getKey();
            JsonNode values = e.getValue().get("values");
            SafetensorsFile.Entry entry = st.entries().get(name);
            assertThat(entry.dtype().name()).isEqualTo(e.getValue().get("dtype").asText());
            assertThat(entry.shape()).hasSize(e.getValue().get("shape").size());
            if (entry.dtype() == SafetensorsDType.I64) {
                long[] actual = st.readLongs(name);
                for (int i = 0; i < actual.length; i++) {
                    assertThat(actual[i]).isEqualTo(values.get(i).asLong());
                }
            } else {
                float[] actual = st.readFloats(name);
                assertThat(actual).hasSize(values.size());
                for (int i = 0; i < actual.length; i++) {
                    // exact: each stored value widens to float32 without rounding
                    assertThat(Float.floatToIntBits(actual[i]))
                            .as("%s[%d]", name, i).isEqualTo(Float.floatToIntBits((float) values.get(i).asDouble()));
                }
            }
        });
    }

    @Test
    void writerAlignsTheHeaderKeepsMetadataAndOrderAndRoundTrips() throws Exception {
        Path file = dir.resolve("out.safetensors");
        float[] w = {1f, -2f, 3.5f, Float.MIN_VALUE, -0f, 1e30f};
        new SafetensorsWriter().metadata("format", "pt").metadata("producer", "test")
                .addF32("z.weight", new long[] {2, 3}, w)
                .addI64("a.step", new long[] {1}, new long[] {Long.MAX_VALUE})
                .write(file);
        byte[] bytes = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(headerLength % 8).isZero();
        JsonNode header = new ObjectMapper().readTree(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8));
        assertThat(header.get("__metadata__").get("producer").asText()).isEqualTo("test");
        assertThat(header.fieldNames()).toIterable().containsExactly("__metadata__", "z.weight", "a.step");
        assertThat(bytes.length).isEqualTo(8 + headerLength + w.length * 4 + 8);

        SafetensorsFile st = SafetensorsFile.open(file);
        assertThat(st.readFloats("z.weight")).containsExactly(w);
        assertThat(st.readLongs("a.step")).containsExactly(Long.MAX_VALUE);
        assertThat(st.entries().get("z.weight").shape()).containsExactly(2, 3);
    }
}
