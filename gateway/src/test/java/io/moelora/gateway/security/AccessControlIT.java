package io.moelora.gateway.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import io.moelora.gateway.support.Api;
import io.moelora.gateway.support.SseClient;
import io.moelora.kafkalocal.testing.KafkaBrokerTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Writes need the bearer token; reads are open by default. */
@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.GLOBAL)
class AccessControlIT {

  @TestHTTPResource("/api/stream")
  URL stream;

  @Test
  void writesWithoutATokenAre401WithAChallenge() {
    given().contentType(ContentType.JSON).body(Api.spec(Api.newJobId("auth"))).post("/api/jobs").then()
        .statusCode(401)
        .header("WWW-Authenticate", "Bearer realm=\"moelora-gateway\"")
        .contentType("application/problem+json")
        .body("type", is("urn:moelora:problem:unauthorized"));
    given().header("Authorization", "Basic dXNlcjpwYXNz").post("/api/jobs/x/complete").then().statusCode(401);
    given().header("Authorization", "Bearer ").post("/api/jobs/x/complete").then().statusCode(401);
  }

  @Test
  void writesWithAWrongTokenAre403() {
    given().header("Authorization", "Bearer not-the-token").contentType(ContentType.JSON)
        .body(Api.spec(Api.newJobId("auth"))).post("/api/jobs").then()
        .statusCode(403)
        .contentType("application/problem+json")
        .body("type", is("urn:moelora:problem:forbidden"));
    given().header("Authorization", "Bearer test-token-but-longer").contentType(ContentType.JSON)
        .body("[]").post("/api/jobs/x/examples").then().statusCode(403);
  }

  @Test
  void writesWithTheTokenPassAndReadsAreOpen() throws Exception {
    String jobId = Api.newJobId("auth");
    given().header("Authorization", "bearer " + Api.TOKEN).contentType(ContentType.JSON).body(Api.spec(jobId))
        .post("/api/jobs").then().statusCode(201);
    given().get("/api/jobs/" + jobId).then().statusCode(200);
    given().get("/api/leaderboard").then().statusCode(200);
    try (SseClient open = SseClient.open(stream, Map.of())) {
      assertThat(open.status()).isEqualTo(200);
    }
    // Operations endpoints are never behind the token.
    given().get("/q/health/live").then().statusCode(200);
    given().get("/q/openapi").then().statusCode(200);
  }
}
