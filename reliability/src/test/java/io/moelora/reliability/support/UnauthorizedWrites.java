package io.moelora.reliability.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Calls every write endpoint of the gateway, in turn, without credentials: no
 * {@code Authorization} header, another scheme, an empty bearer token, and a wrong bearer token.
 * Runs on its own thread while the gateway is under load, a call every {@value #PAUSE_MS} ms or so
 * (steady pressure that leaves the cores to the load being measured); counts what came back per kind of
 * credential. The gateway's contract: no usable bearer header, 401 with a {@code Bearer} challenge;
 * a wrong token, 403.
 */
public final class UnauthorizedWrites implements AutoCloseable {

  /** What a request presents instead of the right token. */
  public enum Credential {
    NONE(null, 401), BASIC("Basic aW50cnVkZXI6c2VjcmV0", 401), EMPTY_BEARER("Bearer ", 401),
    WRONG_TOKEN("Bearer not-the-token", 403);

    final String header;
    /** The status the gateway must answer. */
    public final int expected;

    Credential(String header, int expected) {
      this.header = header;
      this.expected = expected;
    }
  }

  private static final long PAUSE_MS = 10;

  private record Write(String path, String contentType, String body) {}

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String baseUrl;
  private final List<Write> writes;
  private final Map<Credential, AtomicInteger> attempts = new ConcurrentHashMap<>();
  private final Map<Credential, AtomicInteger> unexpected = new ConcurrentHashMap<>();
  private final Map<String, String> firstUnexpected = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean running = true;

  /**
   * @param jobId    an existing job, whose control and ingest endpoints are called
   * @param intruder the id of a job the calls try to create, and the prefix of examples they try to push
   */
  public UnauthorizedWrites(String baseUrl, String jobId, String intruder) {
    this.baseUrl = baseUrl;
    String job = "/api/jobs/" + jobId;
    this.writes = List.of(
        new Write("/api/jobs", "application/json",
            "{\"schemaVersion\":1,\"jobId\":\"" + intruder + "\",\"baseModel\":\"builtin:tiny\"}"),
        new Write(job + "/examples?idPrefix=" + intruder, "application/x-ndjson",
            "{\"instruction\":\"Add 2 and 3.\",\"input\":\"\",\"output\":\"5\"}\n"),
        new Write(job + "/complete", "application/json", ""),
        new Write(job + "/pause", "application/json", ""),
        new Write(job + "/resume", "application/json", ""));
    for (Credential c : Credential.values()) {
      attempts.put(c, new AtomicInteger());
      unexpected.put(c, new AtomicInteger());
    }
    this.thread = new Thread(this::run, "unauthorized-writes");
    this.thread.setDaemon(true);
  }

  public UnauthorizedWrites start() {
    thread.start();
    return this;
  }

  private void run() {
    Credential[] credentials = Credential.values();
    for (long i = 0; running; i++) {
      Write write = writes.get((int) (i % writes.size()));
      Credential credential = credentials[(int) ((i / writes.size()) % credentials.length)];
      var request = HttpRequest.newBuilder(URI.create(baseUrl + write.path())).timeout(Duration.ofSeconds(30))
          .header("Content-Type", write.contentType())
          .POST(HttpRequest.BodyPublishers.ofString(write.body()));
      if (credential.header != null) {
        request.header("Authorization", credential.header);
      }
      attempts.get(credential).incrementAndGet();
      String outcome;
      try {
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        Optional<String> challenge = response.headers().firstValue("WWW-Authenticate");
        boolean right = response.statusCode() == credential.expected
            && (credential.expected != 401 || challenge.filter(c -> c.startsWith("Bearer")).isPresent());
        outcome = right ? null : response.statusCode() + " " + challenge.orElse("(no challenge)") + " "
            + response.body();
      } catch (Exception e) {
        if (!running) {
          return;
        }
        outcome = e.toString();
      }
      if (outcome != null) {
        unexpected.get(credential).incrementAndGet();
        firstUnexpected.putIfAbsent(credential + " POST " + write.path(), outcome);
      }
      try {
        Thread.sleep(PAUSE_MS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  public int attempts(Credential credential) {
    return attempts.get(credential).get();
  }

  /** Answers other than the expected status (or a 401 without a Bearer challenge, or no answer). */
  public int unexpected(Credential credential) {
    return unexpected.get(credential).get();
  }

  /** The first unexpected answer per credential and endpoint, to explain a failure. */
  public Map<String, String> firstUnexpected() {
    return Map.copyOf(firstUnexpected);
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(35_000);
  }
}
