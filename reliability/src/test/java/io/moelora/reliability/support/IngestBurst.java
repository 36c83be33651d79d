package io.moelora.reliability.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moelora.events.Topics;
import io.moelora.kafkalocal.testing.TestKafkaClients;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * A burst of training examples through the gateway's ingest endpoint
 * ({@code POST /api/jobs/{id}/examples}, JSON lines), several uploads at once, and the count of what
 * landed on {@code moelora.training-examples}. Upload {@code u} uses the id prefix {@code b<u>}, so
 * the gateway names its items {@code b<u>-<index>} and every example id is known in advance.
 */
public final class IngestBurst {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the gateway answered, summed over the uploads, and how long the burst took. */
  public record Outcome(long accepted, long rejected, List<String> failures, Duration took) {}

  private IngestBurst() {}

  /** Sends {@code uploads} bodies of {@code perUpload} examples, {@code parallel} at a time. */
  public static Outcome send(String baseUrl, String token, String jobId, int uploads, int perUpload, int parallel)
      throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    ExecutorService pool = Executors.newFixedThreadPool(parallel);
    long start = System.nanoTime();
    try {
      List<Future<HttpResponse<String>>> responses = new ArrayList<>();
      for (int u = 0; u < uploads; u++) {
        String body = body(u, perUpload);
        var request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/jobs/" + jobId + "/examples?idPrefix=b" + u))
            .timeout(Duration.ofMinutes(2)).header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        responses.add(pool.submit(() -> http.send(request, HttpResponse.BodyHandlers.ofString())));
      }
      long accepted = 0;
      long rejected = 0;
      List<String> failures = new ArrayList<>();
      for (Future<HttpResponse<String>> f : responses) {
        HttpResponse<String> response = f.get();
        if (response.statusCode() != 200) {
          failures.add(response.statusCode() + " " + response.body());
          continue;
        }
        JsonNode report = JSON.readTree(response.body());
        accepted += report.path("accepted").asLong();
        rejected += report.path("rejected").asLong();
      }
      return new Outcome(accepted, rejected, failures, Duration.ofNanos(System.nanoTime() - start));
    } finally {
      pool.shutdownNow();
    }
  }

  /** Example ids the burst should have produced, in upload order. */
  public static List<String> ids(int uploads, int perUpload) {
    List<String> ids = new ArrayList<>(uploads * perUpload);
    for (int u = 0; u < uploads; u++) {
      for (int i = 0; i < perUpload; i++) {
        ids.add("b" + u + "-" + i);
      }
    }
    return ids;
  }

  // Distinct texts, so the body is not one line repeated; the ids come from the gateway.
  private static String body(int upload, int count) {
    var out = new StringBuilder(count * 80);
    for (int i = 0; i < count; i++) {
      int a = upload * count + i;
      out.append("{\"instruction\":\"Add ").append(a).append(" and 7.\",\"input\":\"\",\"output\":\"The answer is ")
          .append(a + 7).append("\",\"task\":\"load\"}\n");
    }
    return out.toString();
  }

  /**
   * Every example id on the topic for {@code jobId}, in topic order (duplicates kept), reading every
   * partition up to its end as it is now.
   */
  public static List<String> exampleIdsOnTopic(String bootstrap, String jobId, Duration timeout) throws IOException {
    List<String> ids = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = TestKafkaClients.readFromBeginning(bootstrap,
        Topics.TRAINING_EXAMPLES)) {
      Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
      long deadline = System.nanoTime() + timeout.toNanos();
      while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read " + Topics.TRAINING_EXAMPLES + " to its end within " + timeout);
        }
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          if (jobId.equals(r.key())) {
            ids.add(JSON.readTree(r.value()).path("exampleId").asText());
          }
        }
      }
    }
    return ids;
  }
}
