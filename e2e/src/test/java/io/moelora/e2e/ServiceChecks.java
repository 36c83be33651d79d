package io.moelora.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.moelora.kafkalocal.testing.ServiceProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;

/** Waiting for a packaged service and showing its log when it dies, shared by the end-to-end tests. */
final class ServiceChecks {

  private ServiceChecks() {}

  /** Waits until {@code url}'s readiness check answers 200, failing early with the log if the process exits. */
  static void awaitReady(ServiceProcess service, String url) {
    HttpClient http = HttpClient.newHttpClient();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
      assertThat(service.alive()).as("the service exited; its log:\n%s", log(service)).isTrue();
      try {
        return http.send(HttpRequest.newBuilder(URI.create(url + "/q/health/ready")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
      } catch (IOException e) {
        return false;
      }
    });
  }

  /** The service's log, or why it cannot be read. */
  static String log(ServiceProcess p) {
    try {
      return Files.readString(p.log());
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }
}
