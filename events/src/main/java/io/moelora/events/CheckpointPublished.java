package io.moelora.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A durable adapter checkpoint, the value on {@link Topics#CHECKPOINTS} (key: {@code jobId}).
 * Kafka carries the reference and hash, never the weights; a reader refuses a blob whose
 * SHA-256 differs from {@code sha256}.
 *
 * @param schemaVersion   {@link EventSchema#CURRENT} when written by this code
 * @param jobId           matches {@code [A-Za-z0-9._-]{1,128}}
 * @param checkpointId    unique across jobs, matches {@code [A-Za-z0-9._-]{1,128}}
 * @param step            optimizer steps taken, >= 0
 * @param examplesSeen    training examples consumed, >= 0
 * @param uri             absolute URI of the checkpoint in the checkpoint store
 * @param sha256          64 lower-case hex characters
 * @param adapterType     the adapter family it holds
 * @param trainableParams number of trained parameters, >= 0
 * @param metrics         training metrics at this point (e.g. {@code loss}), finite values
 * @param createdAt       when the checkpoint became durable (ISO-8601 in JSON)
 */
public record CheckpointPublished(
    @JsonProperty(required = true) int schemaVersion,
    String jobId,
    String checkpointId,
    @JsonProperty(required = true) long step,
    @JsonProperty(required = true) long examplesSeen,
    String uri,
    String sha256,
    AdapterType adapterType,
    @JsonProperty(required = true) long trainableParams,
    Map<String, Double> metrics,
    Instant createdAt) implements JobKeyed {

  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  public CheckpointPublished {
    EventSchema.requireSupported(schemaVersion);
    FieldChecks.id("jobId", jobId);
    FieldChecks.id("checkpointId", checkpointId);
    FieldChecks.atLeast("step", step, 0);
    FieldChecks.atLeast("examplesSeen", examplesSeen, 0);
    checkUri(uri);
    FieldChecks.required("sha256", sha256);
    if (!SHA256.matcher(sha256).matches()) {
      throw new IllegalArgumentException("sha256 must be 64 lower-case hex characters, got '"
          + FieldChecks.abbreviate(sha256) + "'");
    }
    FieldChecks.required("adapterType", adapterType);
    FieldChecks.atLeast("trainableParams", trainableParams, 0);
    metrics = FieldChecks.map("metrics", metrics, 256, FieldChecks::finite);
    FieldChecks.required("createdAt", createdAt);
  }

  private static void checkUri(String uri) {
    FieldChecks.text("uri", uri, 2048);
    try {
      if (!new URI(uri).isAbsolute()) {
        throw new IllegalArgumentException("uri must be an absolute URI with a scheme, got '"
            + FieldChecks.abbreviate(uri) + "'");
      }
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("uri must be a valid URI, got '"
          + FieldChecks.abbreviate(uri) + "' (" + e.getReason() + ")");
    }
  }
}
