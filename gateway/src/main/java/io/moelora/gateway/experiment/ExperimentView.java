package io.moelora.gateway.experiment;

import java.util.List;
import java.util.Map;

/**
 * An experiment's jobs side by side: what each trains and how far it got. The jobs are fed the same
 * examples in the same order, so their curves compare point for point by {@code examplesSeen}.
 *
 * @param experiment the experiment id
 * @param suites     every suite any of its checkpoints is scored on, sorted
 * @param jobs       its jobs, by job id
 */
public record ExperimentView(String experiment, List<String> suites, List<Member> jobs) {

  /**
   * One job of the experiment.
   *
   * @param jobId                the job
   * @param state                its state as {@code GET /api/jobs/{id}} shows it
   * @param baseModel            the base model of its spec
   * @param adapterType          {@code lora} or {@code moelora}
   * @param experts              N (1 for lora)
   * @param topK                 experts routed per token (1 for lora)
   * @param rank                 rank of each expert (the LoRA rank for lora)
   * @param totalRank            experts × rank: equal total ranks mean equal adapter weights, routers aside
   * @param alpha                the adapter's alpha
   * @param contrastiveWeight    β of the contrastive loss
   * @param balanceWeight        weight of the load-balancing loss
   * @param trainableParams      trained parameters of its latest checkpoint (routers included), 0 before one
   * @param step                 the furthest optimizer step reported
   * @param examplesSeen         the most training examples reported
   * @param latestCheckpointStep the step of its latest checkpoint, or -1 before the first
   * @param latest               its latest scored checkpoint, or null before one is scored
   * @param curve                every scored checkpoint in training order
   */
  public record Member(String jobId, String state, String baseModel, String adapterType, int experts, int topK,
      int rank, int totalRank, double alpha, double contrastiveWeight, double balanceWeight, long trainableParams,
      long step, long examplesSeen, long latestCheckpointStep, Point latest, List<Point> curve) {}

  /**
   * A scored checkpoint.
   *
   * @param checkpointId the checkpoint
   * @param step         its optimizer step
   * @param examplesSeen training examples it has seen
   * @param scores       suite to accuracy (percent)
   * @param average      the mean over its suites (the {@code overall} board's average)
   */
  public record Point(String checkpointId, long step, long examplesSeen, Map<String, Double> scores,
      Double average) {}
}
