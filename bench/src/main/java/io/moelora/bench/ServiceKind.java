package io.moelora.bench;

import java.nio.file.Path;

/** The packaged services a pipeline benchmark runs, each with the heap the {@code moelora} launcher gives it. */
enum ServiceKind {
    TRAINER("trainer-service", "-Xmx2g"),
    EVAL("eval-service", "-Xmx2g"),
    GATEWAY("gateway", "-Xmx384m");

    private final String module;
    private final String heap;

    ServiceKind(String module, String heap) {
        this.module = module;
        this.heap = heap;
    }

    /** The module's Quarkus application, as {@code mvn package} leaves it. */
    Path jar(Path repoRoot) {
        return repoRoot.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    String module() {
        return module;
    }

    String heap() {
        return heap;
    }
}
