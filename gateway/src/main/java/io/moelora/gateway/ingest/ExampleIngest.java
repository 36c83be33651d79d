package io.moelora.gateway.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moelora.events.EventCodec;
import io.moelora.events.EventFormatException;
import io.moelora.events.EventSchema;
import io.moelora.events.Topics;
import io.moelora.events.TrainingExample;
import io.moelora.gateway.rest.problem.ApiException;
import io.moelora.gateway.rest.problem.Violation;
import io.moelora.messaging.EventPublisher;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Streams one upload of training examples into {@link Topics#TRAINING_EXAMPLES}, keyed by the job id.
 * Each item is validated as the trainer will validate it (the shared codec, plus the text-length
 * limit) and refused with its reason otherwise. Backpressure: at most {@code inFlight} examples are
 * unacknowledged by Kafka at once; beyond that, reading the body waits for the oldest, so a fast
 * client is slowed to the broker's pace by TCP instead of filling the gateway's memory.
 *
 * <p>Items may omit {@code schemaVersion} and {@code jobId} (the job is the one in the path) and
 * {@code exampleId} (then {@code <idPrefix>-<index>}). Example ids must be unique within an upload.
 *
 * <p>{@link #fanOut} writes each valid item once per job of an experiment, with the same example id,
 * item by item in body order; every record is keyed by its job, so each job's partition holds the
 * upload in the same order and the jobs train on the same sequence.
 */
public final class ExampleIngest {

  static final int LISTED_REJECTS = 1000;
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  private final EventPublisher publisher;
  private final int maxExampleChars;
  private final int inFlight;

  public ExampleIngest(EventPublisher publisher, int maxExampleChars, int inFlight) {
    this.publisher = publisher;
    this.maxExampleChars = maxExampleChars;
    this.inFlight = Math.max(1, inFlight);
  }

  public IngestReport ingest(String jobId, InputStream body, String idPrefix) throws IOException {
    Upload upload = upload(List.of(jobId), body, idPrefix);
    return new IngestReport(jobId, upload.accepted, upload.rejected, List.copyOf(upload.rejects));
  }

  /**
   * Each valid item to every job of {@code jobIds}, in body order.
   *
   * @return {@code accepted} counts items (each written once per job); items must not name a jobId
   */
  public FanOutReport fanOut(String experiment, List<String> jobIds, InputStream body, String idPrefix)
      throws IOException {
    Upload upload = upload(List.copyOf(jobIds), body, idPrefix);
    return new FanOutReport(experiment, List.copyOf(jobIds), upload.accepted, upload.rejected,
        List.copyOf(upload.rejects));
  }

  private Upload upload(List<String> jobIds, InputStream body, String idPrefix) throws IOException {
    var upload = new Upload(jobIds, idPrefix);
    try {
      ExampleBodyReader.read(body, upload);
    } catch (ApiException e) {
      if (e.status() != 413) {
        throw e;
      }
      // A chunked body is cut at the limit; what was streamed before it stays streamed.
      upload.drain(0);
      throw e.withDetail(e.getMessage() + "; " + upload.accepted + " examples before the limit were accepted");
    }
    upload.drain(0);
    return upload;
  }

  private final class Upload implements ExampleBodyReader.Handler {

    private final List<String> jobIds;
    private final String idPrefix;
    private final ArrayDeque<Future<RecordMetadata>> pending = new ArrayDeque<>();
    private long acknowledged; // sends Kafka has acknowledged; an item counts once all its jobs' sends are
    private final Set<String> ids = new HashSet<>();
    private final List<IngestReport.Reject> rejects = new ArrayList<>();
    private int accepted;
    private int rejected;

    Upload(List<String> jobIds, String idPrefix) {
      this.jobIds = jobIds;
      this.idPrefix = idPrefix;
    }

    @Override
    public void item(int index, int line, JsonNode value) {
      if (!value.isObject()) {
        reject(index, line, null, "body", "each example must be a JSON object, got " + value.getNodeType());
        return;
      }
      ObjectNode item = (ObjectNode) value;
      String jobId = jobIds.get(0);
      JsonNode itemJob = item.get("jobId");
      if (itemJob != null && (jobIds.size() > 1 || !jobId.equals(itemJob.asText()))) {
        reject(index, line, null, "jobId", jobIds.size() > 1
            ? "must be absent: the experiment's examples go to each of its jobs"
            : "must be the job of the path, '" + jobId + "', or absent");
        return;
      }
      item.put("jobId", jobId);
      if (!item.has("schemaVersion")) {
        item.put("schemaVersion", EventSchema.CURRENT);
      }
      if (!item.has("exampleId")) {
        item.put("exampleId", idPrefix + "-" + index);
      }
      String exampleId = item.get("exampleId").asText();
      TrainingExample example;
      try {
        example = EventCodec.fromTree(item, TrainingExample.class);
      } catch (EventFormatException e) {
        Violation v = Violation.fromMessage(e.getMessage());
        reject(index, line, ID.matcher(exampleId).matches() ? exampleId : null, v.field(), v.rule());
        return;
      }
      long chars = (long) example.instruction().length() + example.input().length() + example.output().length();
      if (chars > maxExampleChars) {
        reject(index, line, exampleId, "body", "instruction, input and output have " + chars
            + " characters, more than the limit " + maxExampleChars);
        return;
      }
      if (!ids.add(exampleId)) {
        reject(index, line, exampleId, "exampleId", "must be unique within the upload, '" + exampleId
            + "' appears twice");
        return;
      }
      drain(Math.max(0, inFlight - jobIds.size()));
      for (String job : jobIds) {
        pending.addLast(publisher.publish(Topics.TRAINING_EXAMPLES, new TrainingExample(example.schemaVersion(), job,
            example.exampleId(),
            example.instruction(), example.input(), example.output(), example.task())));
      }
    }

    @Override
    public void malformed(int index, int line, String reason, boolean last) {
      reject(index, line, null, "body", reason);
    }

    private void reject(int index, int line, String exampleId, String field, String reason) {
      rejected++;
      if (rejects.size() < LISTED_REJECTS) {
        rejects.add(new IngestReport.Reject(index, line, exampleId, field, reason));
      }
    }

    // Waits until at most `left` sends are unacknowledged.
    void drain(int left) {
      while (pending.size() > left) {
        try {
          pending.removeFirst().get(60, TimeUnit.SECONDS);
          acknowledged++;
          accepted = (int) (acknowledged / jobIds.size());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw ApiException.unavailable("interrupted after " + accepted + " examples were accepted");
        } catch (ExecutionException | TimeoutException e) {
          throw ApiException.unavailable("Kafka did not take the examples (" + e.getMessage() + "); "
              + accepted + " examples of this upload were accepted before that");
        }
      }
    }
  }
}
