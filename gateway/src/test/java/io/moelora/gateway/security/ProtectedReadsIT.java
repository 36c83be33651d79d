package io.moelora.gateway.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.moelora.gateway.support.Api;
import io.moelora.gateway.support.SseClient;
import io.moelora.kafkalocal.testing.KafkaBrokerTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With moelora.gateway.auth.protect-reads, reads and streams need the token as well. */
@QuarkusTest
@TestProfile(ProtectedReadsIT.ProtectedReads.class)
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.GLOBAL)
class ProtectedReadsIT {

  /** The default test configuration plus protected reads. */
  public static class ProtectedReads implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("moelora.gateway.auth.protect-reads", "true");
    }
  }

  @TestHTTPResource("/api/stream")
  URL stream;

  @Test
  void readsNeedTheToken() throws Exception {
    given().get("/api/jobs").then().statusCode(401).header("WWW-Authenticate", "Bearer realm=\"moelora-gateway\"");
    given().header("Authorization", "Bearer wrong").get("/api/leaderboard").then().statusCode(403);
    Api.authorised().get("/api/jobs").then().statusCode(200);

    assertThat(SseClient.open(stream, Map.of()).status()).isEqualTo(401);
    assertThat(SseClient.open(stream, Map.of("Authorization", "Bearer wrong")).status()).isEqualTo(403);
    try (SseClient open = SseClient.open(stream, Map.of("Authorization", "Bearer " + Api.TOKEN))) {
      assertThat(open.status()).isEqualTo(200);
    }
    given().get("/q/health/live").then().statusCode(200);
  }
}
