package io.moelora.bench;

import java.nio.file.Path;
import java.util.List;

/** The packaged services a pipeline benchmark runs, each with the JVM options the {@code moelora} launcher gives it. */
enum ServiceKind {
    // a fixed young generation keeps G1 from growing and re-touching the heap in steps; the trainer's
    // allocation rate makes G1 commit about 224 MB anyway, so that much is committed and touched at start
    TRAINER("trainer-service", List.of("-Xmx2g", "-Xms256m", "-Xmn64m", "-XX:+AlwaysPreTouch")),
    EVAL("eval-service", List.of("-Xmx2g", "-Xmn64m")),
    GATEWAY("gateway", List.of("-Xmx384m"));

    private final String module;
    private final List<String> jvmOptions;

    ServiceKind(String module, List<String> jvmOptions) {
        this.module = module;
        this.jvmOptions = jvmOptions;
    }

    /** The module's Quarkus application, as {@code mvn package} leaves it. */
    Path jar(Path repoRoot) {
        return repoRoot.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    String module() {
        return module;
    }

    List<String> jvmOptions() {
        return jvmOptions;
    }
}
