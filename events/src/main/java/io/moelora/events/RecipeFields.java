package io.moelora.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The fields of a {@link JobSpec} as dotted paths, read from the record components themselves, so
 * a new field of the spec can be set from a recipe without touching this class. Used by
 * {@link Recipes} to type {@code --set} values and to refuse keys that are no field (a typo in a
 * hand-written recipe would otherwise silently leave the default in place).
 */
final class RecipeFields {

  /**
   * One settable field.
   *
   * @param key     the dotted path, e.g. {@code adapter.rank}
   * @param parents the object names above the field, e.g. {@code [adapter]}
   * @param name    the field's own name
   * @param type    the record component's type
   */
  record Field(String key, List<String> parents, String name, Class<?> type) {

    /** {@code value} as the JSON node this field's type reads. */
    JsonNode convert(String value) {
      String v = value.strip();
      if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
        try {
          return LongNode.valueOf(Long.parseLong(v));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(key + " must be an integer, got '" + FieldChecks.abbreviate(value) + "'");
        }
      }
      if (type == double.class || type == Double.class) {
        double d = parseDouble(v);
        if (!Double.isFinite(d)) {
          throw new IllegalArgumentException(key + " must be a finite number, got '" + FieldChecks.abbreviate(value) + "'");
        }
        return DoubleNode.valueOf(d);
      }
      if (type == boolean.class || type == Boolean.class) {
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
          return BooleanNode.valueOf(Boolean.parseBoolean(v));
        }
        throw new IllegalArgumentException(key + " must be true or false, got '" + FieldChecks.abbreviate(value) + "'");
      }
      if (type.isEnum()) {
        List<String> names = enumNames(type);
        if (!names.contains(v)) {
          throw new IllegalArgumentException(key + " must be one of " + names + ", got '" + FieldChecks.abbreviate(value) + "'");
        }
        return TextNode.valueOf(v);
      }
      if (List.class.isAssignableFrom(type)) {
        return Recipes.list(value);
      }
      return TextNode.valueOf(value);
    }

    boolean numeric() {
      return type == int.class || type == Integer.class || type == long.class || type == Long.class
          || type == double.class || type == Double.class;
    }
  }

  private RecipeFields() {}

  /**
   * The field at dotted path {@code key}.
   *
   * @throws IllegalArgumentException naming the key and the fields there when it is none, or when
   *     it names a whole object instead of one of its fields
   */
  static Field resolve(String key) {
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException("a --set key must be a field path such as adapter.rank, got '"
          + key + "'");
    }
    String[] segments = key.strip().split("\\.", -1);
    Class<?> owner = JobSpec.class;
    List<String> parents = new ArrayList<>();
    for (int i = 0; i < segments.length; i++) {
      String prefix = String.join(".", parents);
      RecordComponent component = component(owner, segments[i]).orElseThrow(() -> new IllegalArgumentException(
          "unknown key '" + key + "': " + (prefix.isEmpty() ? "a JobSpec" : prefix) + " has "
              + fieldNames(ownerOf(parents))));
      if (i == segments.length - 1) {
        if (component.getType().isRecord()) {
          throw new IllegalArgumentException("key '" + key + "' is an object: set one of its fields, "
              + fieldNames(component.getType()).stream().map(f -> key + "." + f).toList());
        }
        return new Field(key.strip(), List.copyOf(parents), segments[i], component.getType());
      }
      if (!component.getType().isRecord()) {
        throw new IllegalArgumentException("unknown key '" + key + "': " + segments[i] + " has no fields");
      }
      parents.add(segments[i]);
      owner = component.getType();
    }
    throw new IllegalStateException("unreachable");
  }

  /**
   * Refuses any key of {@code tree} that is no JobSpec field, and reads YAML's text scalars in
   * numeric fields as numbers.
   */
  static void check(ObjectNode tree) {
    walk(tree, JobSpec.class, "");
  }

  private static void walk(ObjectNode object, Class<?> owner, String prefix) {
    for (Map.Entry<String, JsonNode> entry : object.properties()) {
      String key = prefix + entry.getKey();
      RecordComponent component = component(owner, entry.getKey()).orElseThrow(() -> new IllegalArgumentException(
          "unknown field '" + key + "': " + (prefix.isEmpty() ? "a JobSpec" : prefix.substring(0, prefix.length() - 1))
              + " has " + fieldNames(owner)));
      JsonNode value = entry.getValue();
      if (component.getType().isRecord() && value instanceof ObjectNode nested) {
        walk(nested, component.getType(), key + ".");
      } else if (value.isTextual()) {
        Field field = new Field(key, List.of(), entry.getKey(), component.getType());
        if (field.numeric()) {
          // YAML 1.1 resolves "3e-4" (no dot) to text; the spec means the number.
          try {
            entry.setValue(field.convert(value.textValue()));
          } catch (IllegalArgumentException notANumber) {
            // left as text: the codec then reports the field's type with its own message
          }
        }
      }
    }
  }

  private static Class<?> ownerOf(List<String> parents) {
    Class<?> owner = JobSpec.class;
    for (String p : parents) {
      owner = component(owner, p).orElseThrow().getType();
    }
    return owner;
  }

  private static Optional<RecordComponent> component(Class<?> owner, String name) {
    return Arrays.stream(owner.getRecordComponents()).filter(c -> c.getName().equals(name)).findFirst();
  }

  private static List<String> fieldNames(Class<?> owner) {
    return Arrays.stream(owner.getRecordComponents()).map(RecordComponent::getName).toList();
  }

  private static List<String> enumNames(Class<?> type) {
    List<String> names = new ArrayList<>();
    for (Object constant : type.getEnumConstants()) {
      String name = ((Enum<?>) constant).name();
      try {
        JsonProperty property = type.getField(name).getAnnotation(JsonProperty.class);
        names.add(property != null ? property.value() : name);
      } catch (NoSuchFieldException e) {
        names.add(name.toLowerCase(Locale.ROOT));
      }
    }
    return names;
  }

  private static double parseDouble(String v) {
    // Double.parseDouble also takes "NaN", "Infinity" and hex floats; only decimal numbers are meant.
    if (!v.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) {
      return Double.NaN;
    }
    return Double.parseDouble(v);
  }
}
