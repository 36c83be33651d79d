package io.moelora.events;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.util.Arrays;

/**
 * JSON for every event record. One codec, shared by every producer and consumer, so that all
 * of them accept and reject exactly the same bytes.
 *
 * <p>Reading is strict about what would change meaning (duplicate keys, NaN/Infinity tokens,
 * numbers as strings and strings as numbers, fractions for integers, numbers for enum names,
 * null for primitives, trailing content) and lenient about one thing: unknown properties are
 * ignored. That leniency is the forward-compatibility rule: a producer may add an optional
 * field within the same {@code schemaVersion} without breaking older consumers; any change an
 * older consumer must not misread bumps {@code schemaVersion}, which those consumers reject.
 */
public final class EventCodec {

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .withCoercionConfig(LogicalType.Textual, c -> c
          .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
      .addModule(InstantJson.module())
      .build();

  private EventCodec() {}

  /** The JSON of {@code event}; event records are valid by construction, so this cannot fail. */
  public static String toJson(Record event) {
    try {
      return MAPPER.writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "cannot write " + event.getClass().getSimpleName() + ": " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Reads one event of {@code type}, fully validated.
   *
   * @throws EventFormatException for anything but a valid event; never returns a partial one
   */
  public static <T extends Record> T fromJson(String json, Class<T> type) {
    String name = type.getSimpleName();
    if (json == null || json.isBlank()) {
      throw new EventFormatException(name + ": empty payload");
    }
    JsonNode tree;
    try {
      tree = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new EventFormatException(name + ": malformed JSON: " + firstLine(e.getOriginalMessage())
          + at(e.getLocation()), e);
    }
    return fromTree(tree, type);
  }

  /**
   * As {@link #fromJson(String, Class)} for JSON already parsed (with duplicate keys and NaN tokens
   * refused, as this codec's parser does): a caller that has read the tree to inspect or complete it
   * binds it without writing and parsing it again.
   *
   * @throws EventFormatException for anything but a valid event; never returns a partial one
   */
  public static <T extends Record> T fromTree(JsonNode tree, Class<T> type) {
    String name = type.getSimpleName();
    if (tree == null || !tree.isObject()) {
      throw new EventFormatException(name + ": expected a JSON object, got "
          + (tree == null ? "nothing" : tree.getNodeType()));
    }
    if (hasSchemaVersion(type)) {
      checkSchemaVersion(name, tree.get("schemaVersion"));
    }
    try {
      T event = MAPPER.treeToValue(tree, type);
      if (event == null) {
        throw new EventFormatException(name + ": no value");
      }
      return event;
    } catch (JsonProcessingException e) {
      throw new EventFormatException(name + ": " + JsonErrors.describe(e), e);
    } catch (IllegalArgumentException e) {
      // treeToValue reports some low-level failures unwrapped.
      throw new EventFormatException(name + ": " + e.getMessage(), e);
    }
  }

  // Checked before binding, so that a record of an unknown version is reported as such rather
  // than as whatever field its different shape trips over first.
  private static void checkSchemaVersion(String name, JsonNode version) {
    if (version == null || version.isNull()) {
      throw new EventFormatException(name + ": schemaVersion is required");
    }
    if (!version.isIntegralNumber() || !version.canConvertToInt()) {
      throw new EventFormatException(name + ": schemaVersion must be an integer, got " + version);
    }
    if (!EventSchema.isSupported(version.intValue())) {
      throw new EventFormatException(name + ": schemaVersion " + version.intValue()
          + " is not supported (supported: [" + EventSchema.OLDEST_SUPPORTED + ", "
          + EventSchema.CURRENT + "])");
    }
  }

  private static boolean hasSchemaVersion(Class<?> type) {
    return HAS_SCHEMA_VERSION.get(type);
  }

  // Reflection on every read showed up in the ingest profile; a record's components never change.
  private static final ClassValue<Boolean> HAS_SCHEMA_VERSION = new ClassValue<>() {
    @Override
    protected Boolean computeValue(Class<?> type) {
      return type.isRecord() && Arrays.stream(type.getRecordComponents())
          .anyMatch(c -> c.getName().equals("schemaVersion"));
    }
  };

  private static String at(JsonLocation location) {
    return location == null ? ""
        : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
  }

  static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
