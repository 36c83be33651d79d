package io.moelora.deploy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A kustomization rendered by kustomize, as its resources. */
record Rendered(String overlay, List<Map<String, Object>> resources) {

  private static final Map<String, Rendered> CACHE = new ConcurrentHashMap<>();

  /** Renders {@code k8s/<path>} (e.g. {@code overlays/dev}); fails with kustomize's message if it cannot. */
  static Rendered of(String path) {
    List<String> kustomize = Tools.kustomize();
    return CACHE.computeIfAbsent(path, p -> {
      var command = new ArrayList<>(kustomize);
      command.add(Repo.file("k8s/" + p).toString());
      try {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE).start();
        String out = new String(process.getInputStream().readAllBytes());
        String err = new String(process.getErrorStream().readAllBytes());
        if (process.waitFor() != 0) {
          throw new AssertionError(String.join(" ", command) + " failed: " + err);
        }
        if (!err.isBlank()) {
          throw new AssertionError(String.join(" ", command) + " warned: " + err);
        }
        return new Rendered(p, Yamls.loadAll(out));
      } catch (IOException e) {
        throw new AssertionError("cannot run " + command, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    });
  }

  List<Map<String, Object>> all(String kind) {
    return resources.stream().filter(r -> kind.equals(r.get("kind"))).toList();
  }

  Map<String, Object> one(String kind, String name) {
    return all(kind).stream().filter(r -> name.equals(Yamls.text(r, "metadata", "name"))).findFirst()
        .orElseThrow(() -> new AssertionError(overlay + " renders no " + kind + " " + name));
  }

  /** The one resource of a kind whose name starts with {@code prefix} (generated names carry a hash suffix). */
  Map<String, Object> generated(String kind, String prefix) {
    var matches = all(kind).stream().filter(r -> Yamls.text(r, "metadata", "name").startsWith(prefix + "-")).toList();
    if (matches.size() != 1) {
      throw new AssertionError(overlay + " renders " + matches.size() + " " + kind + " named " + prefix + "-<hash>");
    }
    return matches.get(0);
  }

  /** The first container of a workload (Deployment or Job). */
  static Map<String, Object> container(Map<String, Object> workload) {
    return Yamls.map(Yamls.list(Yamls.at(workload, "spec", "template", "spec", "containers")).get(0));
  }

  static Map<String, Object> podLabels(Map<String, Object> workload) {
    return Yamls.map(Yamls.at(workload, "spec", "template", "metadata", "labels"));
  }
}
