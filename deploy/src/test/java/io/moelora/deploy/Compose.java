package io.moelora.deploy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** docker-compose.yml as parsed maps, with {@code ${VAR:-default}} read as its default. */
final class Compose {

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?}");

  private final Map<String, Object> root = Yamls.load(Repo.read("docker-compose.yml"));

  Map<String, Object> services() {
    return Yamls.map(root.get("services"));
  }

  Map<String, Object> service(String name) {
    Object service = services().get(name);
    if (service == null) {
      throw new AssertionError("docker-compose.yml has no service " + name);
    }
    return Yamls.map(service);
  }

  Map<String, Object> volumes() {
    return Yamls.map(root.get("volumes"));
  }

  /** A service's environment (map or list form), variables replaced by their defaults. */
  Map<String, String> env(String name) {
    var env = new LinkedHashMap<String, String>();
    Object raw = service(name).get("environment");
    if (raw instanceof Map<?, ?> m) {
      m.forEach((k, v) -> env.put(String.valueOf(k), interpolate(String.valueOf(v))));
    } else {
      for (Object entry : Yamls.list(raw)) {
        String[] kv = String.valueOf(entry).split("=", 2);
        env.put(kv[0], kv.length > 1 ? interpolate(kv[1]) : "");
      }
    }
    return env;
  }

  /** The mount points of a service's volumes: target path → source (a named volume or ./path). */
  Map<String, String> mounts(String name) {
    var mounts = new LinkedHashMap<String, String>();
    for (Object entry : Yamls.list(service(name).get("volumes"))) {
      String[] parts = String.valueOf(entry).split(":");
      mounts.put(parts[1], parts[0]);
    }
    return mounts;
  }

  List<String> command(String name) {
    return Yamls.list(service(name).get("command")).stream().map(String::valueOf).toList();
  }

  static String interpolate(String value) {
    Matcher m = VARIABLE.matcher(value);
    var out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(m.group(2) == null ? "" : m.group(2)));
    }
    return m.appendTail(out).toString();
  }
}
