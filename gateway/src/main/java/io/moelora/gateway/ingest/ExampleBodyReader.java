package io.moelora.gateway.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Reads a body of training examples item by item, without holding it whole: a JSON array of objects,
 * or JSON lines (one object per line; blank lines skipped). A malformed JSON line is reported and
 * reading goes on; malformed JSON inside an array ends the reading there (a JSON parser cannot find
 * the next element after a syntax error).
 */
public final class ExampleBodyReader {

  /** Receives the items in order. */
  public interface Handler {
    /** A well-formed JSON value (not necessarily an object). */
    void item(int index, int line, JsonNode value);

    /** An item that is not JSON; {@code last} when nothing after it will be read. */
    void malformed(int index, int line, String reason, boolean last);
  }

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  // Array elements are read off one parser; a JSON line must hold exactly one value.
  private static final ObjectMapper ELEMENTS = JsonMapper.builder(FACTORY).build();
  private static final ObjectMapper LINES = JsonMapper.builder(FACTORY)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private ExampleBodyReader() {}

  /** @return the number of items seen (well-formed or not) */
  public static int read(InputStream body, Handler handler) throws IOException {
    var in = new BufferedInputStream(body);
    int first = firstSignificantByte(in);
    if (first < 0) {
      return 0;
    }
    return first == '[' ? readArray(in, handler) : readLines(in, handler);
  }

  private static int readArray(InputStream in, Handler handler) throws IOException {
    int index = 0;
    int line = 1;
    try (JsonParser parser = FACTORY.createParser(in)) {
      parser.nextToken(); // [
      while (true) {
        JsonToken token = parser.nextToken();
        line = parser.currentTokenLocation().getLineNr();
        if (token == JsonToken.END_ARRAY) {
          if (parser.nextToken() != null) {
            handler.malformed(index, parser.currentTokenLocation().getLineNr(),
                "content after the closing ']' of the array", true);
          }
          return index;
        }
        if (token == null) {
          handler.malformed(index, line, "the array is not closed: the body ended after " + index + " items", true);
          return index;
        }
        JsonNode value = ELEMENTS.readTree(parser);
        handler.item(index++, line, value);
      }
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      handler.malformed(index, at != null ? at.getLineNr() : line, "malformed JSON: " + e.getOriginalMessage()
          + (at != null ? " at line " + at.getLineNr() + ", column " + at.getColumnNr() : "")
          + "; the rest of the body was not read", true);
      return index + 1;
    }
  }

  private static int readLines(InputStream in, Handler handler) throws IOException {
    var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    int index = 0;
    int lineNumber = 0;
    for (String line; (line = reader.readLine()) != null; ) {
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      try {
        handler.item(index, lineNumber, LINES.readTree(line));
      } catch (JsonProcessingException e) {
        handler.malformed(index, lineNumber, "malformed JSON: " + e.getOriginalMessage(), false);
      }
      index++;
    }
    return index;
  }

  // Leaves the stream at that byte; skips whitespace and a UTF-8 byte order mark.
  private static int firstSignificantByte(BufferedInputStream in) throws IOException {
    while (true) {
      in.mark(4);
      int b = in.read();
      if (b < 0) {
        return -1;
      }
      if (b == 0xEF) {
        if (in.read() == 0xBB && in.read() == 0xBF) {
          continue;
        }
        in.reset();
        return b;
      }
      if (!Character.isWhitespace(b)) {
        in.reset();
        return b;
      }
    }
  }
}
