package io.moelora.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads golden fixtures produced by {@code tools/golden_reference.py} from test resources. */
public final class GoldenFixtures {

    private static final ObjectMapper JSON = new ObjectMapper();

    private GoldenFixtures() {}

    public static JsonNode json(String resource) {
        try (InputStream in = GoldenFixtures.class.getResourceAsStream("/golden/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource golden/" + resource);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses a float written by the reference (9 significant digits round-trip float32 exactly). */
    public static float f32(JsonNode n) {
        return Float.parseFloat(n.asText());
    }
}
