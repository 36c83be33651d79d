package io.moelora.gateway.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.moelora.gateway.support.SseClient;
import io.moelora.kafkalocal.testing.KafkaBrokerTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The test profile allows 3 streams per client and 6 in all; clients are told apart by
 * X-Forwarded-For, which the test profile trusts (as a deployment behind a proxy would).
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.GLOBAL)
class SseLimitsIT {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @TestHTTPResource("/api/stream")
  URL stream;

  @Inject
  SseStreams streams;

  @Test
  void streamsAreCappedPerClientAndInAllAndFreedOnDisconnect() throws Exception {
    await().atMost(WAIT).until(() -> streams.open() == 0);
    List<SseClient> open = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        open.add(as("127.0.0.21"));
      }
      assertThat(open).allSatisfy(c -> assertThat(c.status()).isEqualTo(200));
      SseClient fourth = as("127.0.0.21");
      assertThat(fourth.status()).isEqualTo(429);
      assertThat(fourth.errorBody()).contains("urn:moelora:problem:too-many-streams").contains("per client address");

      for (int i = 0; i < 3; i++) {
        open.add(as("127.0.0.22"));
      }
      assertThat(open).allSatisfy(c -> assertThat(c.status()).isEqualTo(200));
      SseClient beyond = as("127.0.0.23");
      assertThat(beyond.status()).isEqualTo(429);
      assertThat(beyond.errorBody()).contains("at most 6 event streams at once");

      open.remove(0).close();
      await().atMost(WAIT).until(() -> streams.open() == 5);
      SseClient again = as("127.0.0.23");
      open.add(again);
      assertThat(again.status()).isEqualTo(200);
    } finally {
      open.forEach(SseClient::close);
    }
    await().atMost(WAIT).until(() -> streams.open() == 0);
  }

  private SseClient as(String client) throws Exception {
    return SseClient.open(stream, Map.of("X-Forwarded-For", client));
  }
}
