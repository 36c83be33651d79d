package io.moelora.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The images: Quarkus JVM layout, non-root, health checked, settings from the environment, DJL offline. */
class DockerfileTest {

  private static final List<String> DJL_IMAGES = List.of(
      "trainer-service/src/main/docker/Dockerfile.jvm", "eval-service/src/main/docker/Dockerfile.jvm",
      "cli/src/main/docker/Dockerfile");

  @Test
  void each_service_image_runs_its_own_module_as_a_non_root_user_with_a_health_check_on_its_port() {
    for (String module : Repo.SERVICES) {
      Dockerfile file = Dockerfile.read(module + "/src/main/docker/Dockerfile.jvm");
      Dockerfile image = file.finalStage();
      int port = ServiceConfig.of(module).httpPort();
      assertThat(file.all("RUN")).anySatisfy(run -> assertThat(run).contains("package -pl " + module + " -am"));
      assertThat(image.all("COPY")).anySatisfy(c -> assertThat(c).contains(module + "/target/quarkus-app/lib/"))
          .anySatisfy(c -> assertThat(c).contains(module + "/target/quarkus-app/quarkus/"));
      assertThat(image.all("USER")).containsExactly("185");
      assertThat(image.all("EXPOSE")).containsExactly(String.valueOf(port));
      assertThat(image.env()).containsEntry("QUARKUS_HTTP_PORT", String.valueOf(port))
          .containsEntry("JAVA_APP_JAR", "/deployments/quarkus-run.jar");
      assertThat(image.all("HEALTHCHECK")).singleElement().asString()
          .contains("/q/health/ready").contains("${QUARKUS_HTTP_PORT}");
      assertThat(image.all("ENTRYPOINT")).containsExactly("[\"/deployments/run-java.sh\"]");
    }
  }

  @Test
  void every_variable_an_image_sets_is_read_by_its_service_or_its_entry_point() {
    for (String module : Repo.SERVICES) {
      ServiceConfig config = ServiceConfig.of(module);
      for (String name : Dockerfile.read(module + "/src/main/docker/Dockerfile.jvm").finalStage().env().keySet()) {
        assertThat(config.reads(name) || ServiceConfig.runtimeEnv().contains(name))
            .as("%s's image sets %s, which nothing reads", module, name).isTrue();
      }
    }
  }

  @Test
  void images_with_libtorch_carry_a_read_only_native_cache_and_stay_offline() {
    for (String path : DJL_IMAGES) {
      Dockerfile image = Dockerfile.read(path).finalStage();
      Map<String, String> env = image.env();
      assertThat(env).as(path).containsEntry("DJL_OFFLINE", "true").containsEntry("DJL_CACHE_DIR", "/opt/djl-cache")
          .containsEntry("OMP_WAIT_POLICY", "PASSIVE").containsKey("MOELORA_TORCH_THREADS");
      assertThat(image.all("RUN")).as(path).anySatisfy(run -> assertThat(run)
          .contains("io.moelora.core.runtime.NativeCacheWarmup").contains("chmod -R a-w /opt/djl-cache"));
      assertThat(Dockerfile.read(path).all("RUN")).as(path)
          .anySatisfy(run -> assertThat(run).contains("-Ddjl.flavor=${DJL_FLAVOR}"));
    }
    assertThat(Repo.file("core/src/main/java/io/moelora/core/runtime/NativeCacheWarmup.java")).exists();
    // The gateway runs no model: no libtorch in its image.
    assertThat(Dockerfile.read("gateway/src/main/docker/Dockerfile.jvm").finalStage().env()).doesNotContainKey("DJL_CACHE_DIR");
  }

  @Test
  void images_with_libtorch_build_the_mkl_dispatch_library_and_the_entry_point_preloads_it() throws Exception {
    for (String path : DJL_IMAGES) {
      Dockerfile file = Dockerfile.read(path);
      assertThat(file.all("RUN")).as(path).anySatisfy(run -> assertThat(run).contains("install -y --no-install-recommends gcc")
          .contains("MOELORA_MKL_DISPATCH=on sh tools/mkl-dispatch/mkl-dispatch.sh /src/native"));
      assertThat(file.finalStage().all("COPY")).as(path)
          .contains("--from=build --chown=185:185 /src/native/ /deployments/native/")
          .contains("--chmod=755 tools/mkl-dispatch/mkl-dispatch.sh /deployments/mkl-dispatch.sh");
    }
    // run-java.sh and the script lie side by side in /deployments; the library in native/ below them.
    assertThat(Repo.read("deploy/docker/run-java.sh")).contains("lib=$(sh \"$here/mkl-dispatch.sh\" \"$here/native\")")
        .contains("export LD_PRELOAD=\"$lib${LD_PRELOAD:+:$LD_PRELOAD}\"");
    assertThat(Files.isExecutable(Repo.file("tools/mkl-dispatch/mkl-dispatch.sh"))).isTrue();
    assertThat(Repo.file("tools/mkl-dispatch/mkl_dispatch.c")).exists();
  }

  @Test
  void the_flavor_switch_names_an_artifact_the_build_knows() {
    // -Ddjl.flavor=cu128 selects ai.djl.pytorch:pytorch-native-cu128, the CUDA 12.8 libtorch.
    assertThat(Repo.read("pom.xml")).contains("<djl.flavor>cpu</djl.flavor>")
        .contains("<artifactId>pytorch-native-${djl.flavor}</artifactId>");
    assertThat(Repo.read("core/pom.xml")).contains("<artifactId>pytorch-native-${djl.flavor}</artifactId>");
    for (String path : DJL_IMAGES) {
      assertThat(Repo.read(path)).contains("ARG DJL_FLAVOR=cpu").contains("DJL_FLAVOR=cu128");
    }
  }

  @Test
  void files_the_images_copy_exist_and_build_output_stays_out_of_the_context() throws Exception {
    for (String path : List.of("deploy/docker/run-java.sh", "deploy/compose/demo.sh", "deploy/compose/create-topics.sh")) {
      assertThat(Files.isExecutable(Repo.file(path))).as(path).isTrue();
    }
    assertThat(Repo.read("cli/src/main/docker/Dockerfile")).contains("COPY demo/demo-job.json")
        .contains("COPY --chmod=755 deploy/compose/demo.sh");
    assertThat(Repo.read(".dockerignore").lines()).contains("**/target/", ".git/", "**/node_modules/");
    assertThat(Dockerfile.read("cli/src/main/docker/Dockerfile").finalStage().all("USER")).containsExactly("185");
  }
}
