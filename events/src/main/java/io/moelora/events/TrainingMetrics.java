package io.moelora.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One optimizer step's training metrics, the value on {@link Topics#TRAINING_METRICS} (key:
 * {@code jobId}). Losses are per-token means (nats); {@code loss = lmLoss +
 * contrastiveWeight · contrastiveLoss + balanceWeight · balanceLoss}. Routing maps are keyed by
 * {@code "<layer>.<module>"}, e.g. {@code "3.q_proj"}, and are empty for LoRA.
 *
 * @param schemaVersion   {@link EventSchema#CURRENT} when written by this code
 * @param jobId           matches {@code [A-Za-z0-9._-]{1,128}}
 * @param step            optimizer step, >= 0
 * @param loss            total loss, finite, >= 0
 * @param lmLoss          language-model cross-entropy, finite, >= 0
 * @param contrastiveLoss expert contrastive loss (unweighted), finite, >= 0
 * @param balanceLoss     load-balancing loss (unweighted), finite, >= 0
 * @param lr              learning rate used for this step, [0, 1]
 * @param tokensPerSecond training throughput, finite, >= 0
 * @param expertLoad      per module: fraction of tokens whose top-1 expert is j, each in [0, 1]
 * @param routingEntropy  per module: mean entropy of the router distribution (nats), >= 0
 * @param timestamp       when the step finished (ISO-8601 in JSON)
 */
public record TrainingMetrics(
    @JsonProperty(required = true) int schemaVersion,
    String jobId,
    @JsonProperty(required = true) long step,
    @JsonProperty(required = true) double loss,
    @JsonProperty(required = true) double lmLoss,
    @JsonProperty(required = true) double contrastiveLoss,
    @JsonProperty(required = true) double balanceLoss,
    @JsonProperty(required = true) double lr,
    @JsonProperty(required = true) double tokensPerSecond,
    Map<String, List<Double>> expertLoad,
    Map<String, Double> routingEntropy,
    Instant timestamp) implements JobKeyed {

  /** Routing map keys: decoder layer index, a dot, and a target module name. */
  public static final Pattern MODULE_KEY =
      Pattern.compile("\\d{1,4}\\.(q_proj|k_proj|v_proj|o_proj|gate_proj|up_proj|down_proj)");

  public TrainingMetrics {
    EventSchema.requireSupported(schemaVersion);
    FieldChecks.id("jobId", jobId);
    FieldChecks.atLeast("step", step, 0);
    FieldChecks.finiteAtLeast("loss", loss, 0);
    FieldChecks.finiteAtLeast("lmLoss", lmLoss, 0);
    FieldChecks.finiteAtLeast("contrastiveLoss", contrastiveLoss, 0);
    FieldChecks.finiteAtLeast("balanceLoss", balanceLoss, 0);
    FieldChecks.finiteIn("lr", lr, 0, 1);
    FieldChecks.finiteAtLeast("tokensPerSecond", tokensPerSecond, 0);
    expertLoad = immutableLists(FieldChecks.map("expertLoad", expertLoad, 4096, (path, loads) -> {
      checkModuleKey(path);
      FieldChecks.finiteList(path, loads, 64, 0, 1);
    }));
    routingEntropy = FieldChecks.map("routingEntropy", routingEntropy, 4096, (path, h) -> {
      checkModuleKey(path);
      FieldChecks.finiteAtLeast(path, h, 0);
    });
    FieldChecks.required("timestamp", timestamp);
  }

  private static void checkModuleKey(String path) {
    String key = path.substring(path.indexOf('.') + 1);
    if (!MODULE_KEY.matcher(key).matches()) {
      throw new IllegalArgumentException(path.substring(0, path.indexOf('.'))
          + " keys must match <layer>.<module> (" + MODULE_KEY.pattern() + "), got '"
          + FieldChecks.abbreviate(key) + "'");
    }
  }

  // The outer map is already an immutable copy; make the inner lists immutable too.
  private static Map<String, List<Double>> immutableLists(Map<String, List<Double>> map) {
    var copy = new LinkedHashMap<String, List<Double>>();
    map.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    return Collections.unmodifiableMap(copy);
  }
}
