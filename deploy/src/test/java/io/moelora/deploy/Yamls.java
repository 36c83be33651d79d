package io.moelora.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** YAML as plain maps and lists; anchors, aliases and merge keys ({@code <<}) resolved. */
final class Yamls {

  private Yamls() {}

  static Map<String, Object> load(String text) {
    return map(new Yaml(new SafeConstructor(new LoaderOptions())).load(text));
  }

  /** Every document of a multi-document stream (a rendered kustomization), empty ones dropped. */
  static List<Map<String, Object>> loadAll(String text) {
    var docs = new ArrayList<Map<String, Object>>();
    for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(text)) {
      if (doc != null) {
        docs.add(map(doc));
      }
    }
    return docs;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object node) {
    return node == null ? Map.of() : (Map<String, Object>) node;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object node) {
    return node == null ? List.of() : (List<Object>) node;
  }

  /** The value at a path of map keys, or null. */
  static Object at(Object node, String... path) {
    Object current = node;
    for (String key : path) {
      if (!(current instanceof Map<?, ?> m)) {
        return null;
      }
      current = m.get(key);
    }
    return current;
  }

  static String text(Object node, String... path) {
    Object value = at(node, path);
    return value == null ? null : String.valueOf(value);
  }
}
