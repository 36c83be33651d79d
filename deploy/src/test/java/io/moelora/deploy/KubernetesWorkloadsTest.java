package io.moelora.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** k8s/ rendered per overlay: the workloads, their wiring and their settings against the code. */
class KubernetesWorkloadsTest {

  private static final String VOLUME = "/var/lib/moelora";

  @ParameterizedTest
  @ValueSource(strings = {"overlays/dev", "overlays/gpu"})
  void deployments_expose_their_port_and_probe_their_health_endpoints(String overlay) {
    Rendered k8s = Rendered.of(overlay);
    for (String module : Repo.SERVICES) {
      var deployment = k8s.one("Deployment", module);
      var container = Rendered.container(deployment);
      int port = ServiceConfig.of(module).httpPort();
      assertThat(container.get("name")).isEqualTo(module);
      assertThat(Yamls.list(container.get("ports"))).containsExactly(Map.of("name", "http", "containerPort", port));
      assertThat(Yamls.text(container, "readinessProbe", "httpGet", "path")).isEqualTo("/q/health/ready");
      assertThat(Yamls.text(container, "livenessProbe", "httpGet", "path")).isEqualTo("/q/health/live");
      assertThat(Yamls.text(container, "startupProbe", "httpGet", "path")).isEqualTo("/q/health/started");
      for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
        assertThat(Yamls.text(container, probe, "httpGet", "port")).isEqualTo("http");
      }
      assertThat(Yamls.at(container, "resources", "requests")).isNotNull();
      assertThat(Yamls.text(container, "resources", "limits", "memory")).isNotNull();
      assertThat(Yamls.at(deployment, "spec", "template", "spec", "securityContext", "runAsNonRoot")).isEqualTo(true);

      // The selector picks the pods; the Service and the disruption budget select the same ones.
      var labels = Rendered.podLabels(deployment);
      assertThat(labels).containsAllEntriesOf(Yamls.map(Yamls.at(deployment, "spec", "selector", "matchLabels")));
      var service = k8s.one("Service", module);
      assertThat(labels).containsAllEntriesOf(Yamls.map(Yamls.at(service, "spec", "selector")));
      assertThat(Yamls.list(Yamls.at(service, "spec", "ports"))).singleElement()
          .satisfies(p -> assertThat(Yamls.map(p)).containsEntry("port", port).containsEntry("targetPort", "http"));
      var budget = k8s.one("PodDisruptionBudget", module);
      assertThat(labels).containsAllEntriesOf(Yamls.map(Yamls.at(budget, "spec", "selector", "matchLabels")));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"overlays/dev", "overlays/gpu"})
  void every_variable_a_container_gets_is_one_its_service_reads_and_what_it_needs_is_set(String overlay) {
    Rendered k8s = Rendered.of(overlay);
    var config = k8s.generated("ConfigMap", "moelora-config");
    Map<String, String> shared = stringMap(config.get("data"));
    var readers = new HashMap<String, Set<String>>();
    for (String module : Repo.SERVICES) {
      ServiceConfig service = ServiceConfig.of(module);
      var container = Rendered.container(k8s.one("Deployment", module));
      assertThat(Yamls.text(Yamls.list(container.get("envFrom")).get(0), "configMapRef", "name"))
          .isEqualTo(Yamls.text(config, "metadata", "name"));
      var env = new HashMap<>(Dockerfile.read(module + "/src/main/docker/Dockerfile.jvm").finalStage().env());
      env.putAll(shared);
      for (Object entry : Yamls.list(container.get("env"))) {
        String name = Yamls.text(entry, "name");
        assertThat(service.reads(name) || ServiceConfig.runtimeEnv().contains(name))
            .as("%s: %s gets %s, which it does not read", overlay, module, name).isTrue();
        env.put(name, Yamls.text(entry, "value"));
      }
      for (String name : shared.keySet()) {
        if (service.reads(name) || ServiceConfig.runtimeEnv().contains(name)) {
          readers.computeIfAbsent(name, n -> new TreeSet<>()).add(module);
        }
      }
      for (String property : service.required()) {
        assertThat(env).as("%s: %s needs %s", overlay, module, property).containsKey(ServiceConfig.envName(property));
      }
    }
    assertThat(readers.keySet()).as("every key of moelora-config is read by some service").isEqualTo(shared.keySet());
    var kafka = k8s.all("Kafka").get(0);
    assertThat(shared.get("KAFKA_BOOTSTRAP_SERVERS"))
        .isEqualTo(Yamls.text(kafka, "metadata", "name") + "-kafka-bootstrap:" + plainListenerPort(kafka));
    assertThat(shared.get("MOELORA_CHECKPOINT_DIR")).startsWith(VOLUME + "/");
    assertThat(shared.get("MOELORA_MODEL_DIR")).isEqualTo(VOLUME + "/models");
  }

  @ParameterizedTest
  @ValueSource(strings = {"overlays/dev", "overlays/gpu"})
  void the_gateway_token_comes_from_a_secret_and_the_ingress_reaches_the_gateway(String overlay) {
    Rendered k8s = Rendered.of(overlay);
    var gateway = Rendered.container(k8s.one("Deployment", "gateway"));
    var token = Yamls.list(gateway.get("env")).stream()
        .filter(e -> "MOELORA_GATEWAY_AUTH_TOKEN".equals(Yamls.text(e, "name"))).findFirst().orElseThrow();
    String secret = Yamls.text(token, "valueFrom", "secretKeyRef", "name");
    assertThat(secret).startsWith("moelora-gateway-auth");
    assertThat(Yamls.text(token, "valueFrom", "secretKeyRef", "key")).isEqualTo("token");
    if (overlay.endsWith("dev")) {
      // dev generates the secret; elsewhere the operator creates it.
      assertThat(Yamls.map(k8s.one("Secret", secret).get("data"))).containsKey("token");
    }
    var ingress = k8s.one("Ingress", "gateway");
    var backend = Yamls.at(Yamls.list(Yamls.at(Yamls.list(Yamls.at(ingress, "spec", "rules")).get(0), "http", "paths")).get(0),
        "backend", "service");
    assertThat(Yamls.text(backend, "name")).isEqualTo("gateway");
    assertThat(Yamls.text(backend, "port", "name")).isEqualTo("http");
    assertThat(Yamls.map(Yamls.at(ingress, "metadata", "annotations")))
        .containsEntry("nginx.ingress.kubernetes.io/proxy-buffering", "off");
  }

  @ParameterizedTest
  @ValueSource(strings = {"overlays/dev", "overlays/gpu"})
  void checkpoints_and_models_are_on_a_shared_read_write_many_volume(String overlay) {
    Rendered k8s = Rendered.of(overlay);
    var claim = k8s.one("PersistentVolumeClaim", "moelora-data");
    assertThat(Yamls.list(Yamls.at(claim, "spec", "accessModes"))).containsExactly("ReadWriteMany");
    for (String name : List.of("trainer-service", "eval-service")) {
      assertThat(mountedClaims(k8s.one("Deployment", name))).containsEntry(VOLUME, "moelora-data");
    }
    var job = k8s.one("Job", "tiny-base");
    assertThat(mountedClaims(job)).containsEntry(VOLUME, "moelora-data");
    var cli = Rendered.container(job);
    assertThat(cli.get("image")).isEqualTo("moelora/cli:" + Repo.imageTag());
    assertThat(Yamls.list(cli.get("args"))).containsExactly("base", "--out", VOLUME + "/models/tiny");
  }

  @ParameterizedTest
  @ValueSource(strings = {"overlays/dev", "overlays/gpu"})
  void network_policies_select_our_pods_and_let_only_the_ingress_reach_the_gateway(String overlay) {
    Rendered k8s = Rendered.of(overlay);
    var pods = new java.util.ArrayList<Map<String, Object>>();
    for (String module : Repo.SERVICES) {
      pods.add(Rendered.podLabels(k8s.one("Deployment", module)));
    }
    for (var policy : k8s.all("NetworkPolicy")) {
      var selector = Yamls.map(Yamls.at(policy, "spec", "podSelector", "matchLabels"));
      assertThat(pods).as("%s selects pods", Yamls.text(policy, "metadata", "name"))
          .anySatisfy(labels -> assertThat(labels).containsAllEntriesOf(selector));
    }
    var gateway = k8s.one("NetworkPolicy", "gateway-from-ingress");
    var rule = Yamls.list(Yamls.at(gateway, "spec", "ingress")).get(0);
    assertThat(Yamls.list(Yamls.at(rule, "ports"))).singleElement()
        .satisfies(p -> assertThat(Yamls.map(p)).containsEntry("port", ServiceConfig.of("gateway").httpPort()));
    assertThat(Yamls.text(Yamls.list(Yamls.at(rule, "from")).get(0), "namespaceSelector", "matchLabels",
        "kubernetes.io/metadata.name")).isEqualTo("ingress-nginx");
    // Kafka admits our pods only (Strimzi writes that policy from the listener's peers).
    var listener = Yamls.list(Yamls.at(k8s.all("Kafka").get(0), "spec", "kafka", "listeners")).get(0);
    assertThat(Yamls.list(Yamls.at(listener, "networkPolicyPeers"))).anySatisfy(peer ->
        assertThat(Yamls.map(Yamls.at(peer, "podSelector", "matchLabels"))).containsEntry("app.kubernetes.io/part-of", "moelora"));
    assertThat(pods).allSatisfy(labels -> assertThat(labels).containsEntry("app.kubernetes.io/part-of", "moelora"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"overlays/dev", "overlays/gpu"})
  void every_namespaced_resource_is_in_the_overlay_namespace(String overlay) {
    Rendered k8s = Rendered.of(overlay);
    String namespace = Yamls.text(k8s.all("Namespace").get(0), "metadata", "name");
    for (var resource : k8s.resources()) {
      if (!"Namespace".equals(resource.get("kind"))) {
        assertThat(Yamls.text(resource, "metadata", "namespace")).as("%s %s", resource.get("kind"),
            Yamls.text(resource, "metadata", "name")).isEqualTo(namespace);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"overlays/dev", "overlays/gpu"})
  void images_carry_the_project_version_as_in_docker_compose(String overlay) {
    Rendered k8s = Rendered.of(overlay);
    var compose = new Compose();
    var images = new HashSet<String>();
    for (var service : compose.services().values()) {
      String image = Yamls.text(service, "image");
      if (image.startsWith("moelora/")) {
        images.add(image);
      }
    }
    boolean gpu = overlay.endsWith("gpu");
    for (String module : Repo.SERVICES) {
      String image = Yamls.text(Rendered.container(k8s.one("Deployment", module)), "image");
      boolean cuda = gpu && !module.equals("gateway");
      assertThat(image).isEqualTo("moelora/" + module + ":" + Repo.imageTag() + (cuda ? "-cu128" : ""));
      assertThat(images).contains(image.replace("-cu128", ""));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"overlays/gpu"})
  void the_gpu_overlay_asks_for_a_gpu_and_the_cuda_libtorch(String overlay) {
    Rendered k8s = Rendered.of(overlay);
    for (String module : List.of("trainer-service", "eval-service")) {
      var container = Rendered.container(k8s.one("Deployment", module));
      assertThat(Yamls.text(container, "resources", "limits", "nvidia.com/gpu")).isEqualTo("1");
      assertThat(Yamls.list(container.get("env"))).anySatisfy(e -> assertThat(Yamls.map(e))
          .containsEntry("name", "PYTORCH_FLAVOR").containsEntry("value", "cu128"));
    }
    assertThat(Yamls.at(Rendered.container(k8s.one("Deployment", "gateway")), "resources", "limits", "nvidia.com/gpu")).isNull();
  }

  private static Map<String, String> mountedClaims(Map<String, Object> workload) {
    var claims = new HashMap<String, String>();
    for (Object volume : Yamls.list(Yamls.at(workload, "spec", "template", "spec", "volumes"))) {
      String claim = Yamls.text(volume, "persistentVolumeClaim", "claimName");
      if (claim == null) {
        continue;
      }
      for (Object mount : Yamls.list(Rendered.container(workload).get("volumeMounts"))) {
        if (Yamls.text(mount, "name").equals(Yamls.text(volume, "name"))) {
          claims.put(Yamls.text(mount, "mountPath"), claim);
        }
      }
    }
    return claims;
  }

  static int plainListenerPort(Map<String, Object> kafka) {
    var listener = Yamls.list(Yamls.at(kafka, "spec", "kafka", "listeners")).get(0);
    return Integer.parseInt(Yamls.text(listener, "port"));
  }

  private static Map<String, String> stringMap(Object node) {
    var map = new HashMap<String, String>();
    Yamls.map(node).forEach((k, v) -> map.put(k, String.valueOf(v)));
    return map;
  }
}
