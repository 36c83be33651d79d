package io.moelora.events;

import static io.moelora.events.FieldChecks.or;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The adapter a job trains (the {@code adapter} object of a {@link JobSpec}).
 *
 * <p>Absent (or null) fields take the defaults of their {@code type}, see
 * {@link #defaults(AdapterType)}; {@code type} itself defaults to {@code moelora}. The MoELoRA
 * defaults are those of METHOD.md: 8 experts, top-2 routing, rank 4 per expert (N · r = 32,
 * the LoRA baseline's rank at equal parameters), alpha 64, q/v projections, dropout 0.05,
 * contrastive weight β = 0.1 at temperature τ = 0.1 over at most 64 samples per expert, and
 * load-balancing weight 0.01. The LoRA defaults are the equal-parameter baseline: rank 32,
 * alpha 64, one expert, no auxiliary losses.
 *
 * @param type              {@code lora} or {@code moelora}
 * @param rank              rank of each expert's low-rank pair (for lora: the LoRA rank), [1, 1024]
 * @param alpha             scaling numerator; the adapter output is scaled by alpha / (experts · rank), (0, 1e6]
 * @param experts           number of experts N, [1, 64]; exactly 1 for lora
 * @param topK              experts routed per token, [1, experts]
 * @param targets           decoder-layer linear modules to adapt, distinct, from {@link #TARGET_MODULES}
 * @param dropout           dropout on the adapter input during training, [0, 1)
 * @param contrastiveWeight β, weight of the expert contrastive loss, [0, 100]; 0 for lora
 * @param temperature       τ of the contrastive loss, (0, 100]
 * @param maxSamples        contrastive samples kept per expert per module and step, [1, 65536]
 * @param balanceWeight     weight of the load-balancing loss, [0, 100]; 0 for lora
 */
public record AdapterSpec(
    AdapterType type,
    int rank,
    double alpha,
    int experts,
    int topK,
    List<String> targets,
    double dropout,
    double contrastiveWeight,
    double temperature,
    int maxSamples,
    double balanceWeight) {

  /** The module names a target may use (LLaMA-family naming). */
  public static final List<String> TARGET_MODULES =
      List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");

  public static final AdapterSpec MOELORA_DEFAULTS = new AdapterSpec(AdapterType.MOELORA,
      4, 64.0, 8, 2, List.of("q_proj", "v_proj"), 0.05, 0.1, 0.1, 64, 0.01);

  public static final AdapterSpec LORA_DEFAULTS = new AdapterSpec(AdapterType.LORA,
      32, 64.0, 1, 1, List.of("q_proj", "v_proj"), 0.05, 0.0, 0.1, 64, 0.0);

  public AdapterSpec {
    FieldChecks.required("adapter.type", type);
    FieldChecks.inRange("adapter.rank", rank, 1, 1024);
    FieldChecks.finitePositiveUpTo("adapter.alpha", alpha, 1e6);
    FieldChecks.inRange("adapter.experts", experts, 1, 64);
    if (topK < 1 || topK > experts) {
      throw new IllegalArgumentException(
          "adapter.topK must be in [1, experts=" + experts + "], got " + topK);
    }
    targets = FieldChecks.list("adapter.targets", targets, TARGET_MODULES.size());
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("adapter.targets must name at least one of " + TARGET_MODULES);
    }
    for (int i = 0; i < targets.size(); i++) {
      if (!TARGET_MODULES.contains(targets.get(i))) {
        throw new IllegalArgumentException("adapter.targets[" + i + "] must be one of "
            + TARGET_MODULES + ", got '" + FieldChecks.abbreviate(targets.get(i)) + "'");
      }
    }
    FieldChecks.distinct("adapter.targets", targets);
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("adapter.dropout must be in [0, 1), got " + dropout);
    }
    FieldChecks.finiteIn("adapter.contrastiveWeight", contrastiveWeight, 0, 100);
    FieldChecks.finitePositiveUpTo("adapter.temperature", temperature, 100);
    FieldChecks.inRange("adapter.maxSamples", maxSamples, 1, 65536);
    FieldChecks.finiteIn("adapter.balanceWeight", balanceWeight, 0, 100);
    // A LoRA adapter has no router: expert settings would silently do nothing, so refuse them.
    if (type == AdapterType.LORA && (experts != 1 || topK != 1)) {
      throw new IllegalArgumentException("adapter.experts and adapter.topK must be 1 for type lora, got experts="
          + experts + ", topK=" + topK);
    }
    if (type == AdapterType.LORA && (contrastiveWeight != 0 || balanceWeight != 0)) {
      throw new IllegalArgumentException("adapter.contrastiveWeight and adapter.balanceWeight must be 0 for type"
          + " lora, got contrastiveWeight=" + contrastiveWeight + ", balanceWeight=" + balanceWeight);
    }
  }

  /** The defaults for {@code type}, used for every field a job leaves out. */
  public static AdapterSpec defaults(AdapterType type) {
    return type == AdapterType.LORA ? LORA_DEFAULTS : MOELORA_DEFAULTS;
  }

  @JsonCreator
  private static AdapterSpec fromJson(
      @JsonProperty("type") AdapterType type,
      @JsonProperty("rank") Integer rank,
      @JsonProperty("alpha") Double alpha,
      @JsonProperty("experts") Integer experts,
      @JsonProperty("topK") Integer topK,
      @JsonProperty("targets") List<String> targets,
      @JsonProperty("dropout") Double dropout,
      @JsonProperty("contrastiveWeight") Double contrastiveWeight,
      @JsonProperty("temperature") Double temperature,
      @JsonProperty("maxSamples") Integer maxSamples,
      @JsonProperty("balanceWeight") Double balanceWeight) {
    AdapterSpec d = defaults(type == null ? AdapterType.MOELORA : type);
    return new AdapterSpec(d.type(), or(rank, d.rank()), or(alpha, d.alpha()),
        or(experts, d.experts()), or(topK, d.topK()), or(targets, d.targets()),
        or(dropout, d.dropout()), or(contrastiveWeight, d.contrastiveWeight()),
        or(temperature, d.temperature()), or(maxSamples, d.maxSamples()),
        or(balanceWeight, d.balanceWeight()));
  }
}
