package io.moelora.gateway.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;

/** Requests as an authorised client makes them (the test profile's token). */
public final class Api {

  /** {@code moelora.gateway.auth.token} of the test profile. */
  public static final String TOKEN = "test-token";

  private Api() {}

  public static RequestSpecification authorised() {
    return given().header("Authorization", "Bearer " + TOKEN);
  }

  /** A job id no other test uses. */
  public static String newJobId(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** The smallest valid spec: everything else takes its defaults. */
  public static String spec(String jobId) {
    return "{\"jobId\":\"" + jobId + "\",\"baseModel\":\"builtin:tiny\"}";
  }

  /** Creates a job through the API and returns its id. */
  public static String createJob(String prefix) {
    String jobId = newJobId(prefix);
    authorised().contentType(ContentType.JSON).body(spec(jobId)).post("/api/jobs").then().statusCode(201);
    return jobId;
  }
}
