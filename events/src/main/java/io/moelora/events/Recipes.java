package io.moelora.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Job specs kept as data: a recipe is a {@link JobSpec} written as YAML (or JSON), one per file,
 * with the JSON field names. Loading applies {@code --set key=value} overrides on dotted paths
 * ({@code adapter.rank=4}, {@code optimizer.lr=1e-4}, {@code eval.suites=a,b}, {@code jobId=x}),
 * each value converted to the type of the field it sets, and then validates through the shared
 * {@link EventCodec}, so a recipe is accepted exactly when the same spec as JSON on the jobs topic
 * would be.
 *
 * <p>Needs {@code jackson-databind} and {@code jackson-dataformat-yaml} on the class path (the
 * CLI and the gateway bring both).
 */
public final class Recipes {

  /** File endings a recipe may have, in the order {@link #find} tries them. */
  public static final List<String> EXTENSIONS = List.of(".yaml", ".yml", ".json");

  private static final ObjectMapper YAML = YAMLMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private Recipes() {}

  /**
   * The recipe file of {@code name} in {@code recipesDir}: {@code name} plus one of
   * {@link #EXTENSIONS}, or {@code name} itself when it already ends with one.
   *
   * @throws IllegalArgumentException naming the recipes there when there is none
   */
  public static Path find(Path recipesDir, String name) {
    // The name becomes part of a path: keep it to the id alphabet so it cannot leave the directory.
    if (name == null || !FieldChecks.ID.matcher(name).matches()) {
      throw new IllegalArgumentException("recipe name must match " + FieldChecks.ID.pattern() + ", got '"
          + FieldChecks.abbreviate(String.valueOf(name)) + "'");
    }
    if (!Files.isDirectory(recipesDir)) {
      throw new IllegalArgumentException("no recipes directory " + recipesDir);
    }
    List<Path> candidates = new ArrayList<>();
    if (EXTENSIONS.stream().anyMatch(name::endsWith)) {
      candidates.add(recipesDir.resolve(name));
    }
    EXTENSIONS.forEach(ext -> candidates.add(recipesDir.resolve(name + ext)));
    return candidates.stream().filter(Files::isRegularFile).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no recipe '" + name + "' in " + recipesDir
            + " (recipes: " + String.join(", ", names(recipesDir)) + ")"));
  }

  /** The names of the recipes in {@code recipesDir}, sorted, without their file endings. */
  public static List<String> names(Path recipesDir) {
    if (!Files.isDirectory(recipesDir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(recipesDir)) {
      return files.map(p -> p.getFileName().toString())
          .filter(f -> EXTENSIONS.stream().anyMatch(f::endsWith))
          .map(f -> f.substring(0, f.lastIndexOf('.')))
          .sorted().distinct().toList();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot list " + recipesDir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads a recipe ({@code .json} as JSON, anything else as YAML), applies {@code sets} in their
   * iteration order and validates the result.
   *
   * @param sets dotted field path to value, as given to {@code --set}; empty for none
   * @throws IllegalArgumentException starting with the file name, then the key or field and the rule
   */
  public static JobSpec load(Path file, Map<String, String> sets) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read recipe " + file + ": " + e.getMessage(), e);
    }
    try {
      return parse(text, !file.getFileName().toString().endsWith(".json"), sets);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file.getFileName() + ": " + e.getMessage(), e);
    }
  }

  /** A spec from recipe text (YAML when {@code yaml}, else JSON) with {@code sets} applied. */
  public static JobSpec parse(String text, boolean yaml, Map<String, String> sets) {
    ObjectNode tree = tree(text, yaml);
    sets.forEach((key, value) -> set(tree, key, value));
    return toSpec(tree);
  }

  /**
   * The object a recipe text holds, not yet validated. Keys that are no JobSpec field are refused
   * (a hand-written recipe with a typo would otherwise train with a default). YAML 1.1 reads a
   * plain {@code 3e-4} as text, so a text value where the spec has a number is read as that number.
   *
   * @throws IllegalArgumentException with the parser's reason and position for text that is not
   *     YAML (or JSON) or not one object, and naming the key for a key that is no field
   */
  public static ObjectNode tree(String text, boolean yaml) {
    JsonNode tree;
    try {
      tree = (yaml ? YAML : JSON).readTree(text);
    } catch (JsonProcessingException e) {
      var at = e.getLocation();
      throw new IllegalArgumentException("not " + (yaml ? "YAML" : "JSON") + ": "
          + EventCodec.firstLine(e.getOriginalMessage())
          + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()), e);
    }
    if (tree == null || !tree.isObject()) {
      throw new IllegalArgumentException("a recipe must be one object (a JobSpec), got "
          + (tree == null || tree.isMissingNode() ? "nothing" : tree.getNodeType().toString().toLowerCase(Locale.ROOT)));
    }
    RecipeFields.check((ObjectNode) tree);
    return (ObjectNode) tree;
  }

  /**
   * Sets the field at dotted path {@code key} to {@code value} converted to the field's type:
   * integers, numbers, {@code true}/{@code false}, text, enum names, comma-separated lists.
   * The value {@code null} removes the field, so it takes its default.
   *
   * @throws IllegalArgumentException naming the key when it is no field of a JobSpec or the value
   *     does not fit its type
   */
  public static void set(ObjectNode tree, String key, String value) {
    RecipeFields.Field field = RecipeFields.resolve(key);
    ObjectNode parent = tree;
    for (String segment : field.parents()) {
      JsonNode child = parent.get(segment);
      parent = child instanceof ObjectNode object ? object : parent.putObject(segment);
    }
    if ("null".equals(value)) {
      parent.remove(field.name());
      return;
    }
    parent.set(field.name(), field.convert(value));
  }

  /**
   * Validates a tree as a JobSpec through {@link EventCodec}; an absent {@code schemaVersion}
   * means the current one.
   *
   * @throws IllegalArgumentException with the codec's message (field path and rule)
   */
  public static JobSpec toSpec(ObjectNode tree) {
    if (!tree.has("schemaVersion")) {
      tree.put("schemaVersion", EventSchema.CURRENT);
    }
    try {
      return EventCodec.fromJson(tree.toString(), JobSpec.class);
    } catch (EventFormatException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** A comma-separated list as an array of its trimmed, non-empty items. */
  static ArrayNode list(String value) {
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    for (String item : value.split(",")) {
      if (!item.isBlank()) {
        array.add(item.strip());
      }
    }
    return array;
  }
}
