package io.moelora.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExampleBodyReaderTest {

  private final List<String> seen = new ArrayList<>();

  private int read(String body) throws IOException {
    return ExampleBodyReader.read(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)),
        new ExampleBodyReader.Handler() {
          @Override
          public void item(int index, int line, JsonNode value) {
            seen.add(index + "@" + line + ":" + value);
          }

          @Override
          public void malformed(int index, int line, String reason, boolean last) {
            seen.add(index + "@" + line + ":! " + reason + (last ? " (last)" : ""));
          }
        });
  }

  @Test
  void readsAJsonArrayItemByItemWithLines() throws IOException {
    assertThat(read("\uFEFF [\n{\"a\":1},\n  {\"a\":2}, 3\n]\n")).isEqualTo(3);
    assertThat(seen).containsExactly("0@2:{\"a\":1}", "1@3:{\"a\":2}", "2@3:3");
  }

  @Test
  void readsJsonLinesAndGoesOnAfterABadLine() throws IOException {
    assertThat(read("{\"a\":1}\n\n{oops\n{\"a\":3}\n")).isEqualTo(3);
    assertThat(seen).hasSize(3);
    assertThat(seen.get(0)).isEqualTo("0@1:{\"a\":1}");
    assertThat(seen.get(1)).startsWith("1@3:! malformed JSON");
    assertThat(seen.get(2)).isEqualTo("2@4:{\"a\":3}");
  }

  @Test
  void aLineWithTrailingContentIsMalformed() throws IOException {
    read("{\"a\":1} {\"b\":2}\n");
    assertThat(seen).singleElement().asString().startsWith("0@1:! malformed JSON");
  }

  @Test
  void duplicateKeysAreMalformed() throws IOException {
    read("{\"a\":1,\"a\":2}\n");
    assertThat(seen).singleElement().asString().contains("Duplicate field 'a'");
  }

  @Test
  void malformedJsonInsideAnArrayStopsTheReadingThere() throws IOException {
    read("[{\"a\":1}, {\"a\": nope}, {\"a\":3}]");
    assertThat(seen).hasSize(2);
    assertThat(seen.get(1)).startsWith("1@1:! malformed JSON").endsWith("the rest of the body was not read (last)");
  }

  @Test
  void anUnclosedArrayIsReported() throws IOException {
    read("[{\"a\":1}");
    assertThat(seen.get(seen.size() - 1)).contains("(last)");
  }

  @Test
  void anEmptyBodyHasNoItems() throws IOException {
    assertThat(read("  \n")).isZero();
    assertThat(seen).isEmpty();
  }
}
