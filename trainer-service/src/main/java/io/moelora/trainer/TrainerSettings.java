package io.moelora.trainer;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;

/** The trainer's configuration ({@code moelora.*}; every key can be set by environment variable). */
@ConfigMapping(prefix = "moelora")
public interface TrainerSettings {

  /** Root of the checkpoint store (a shared volume when several replicas run). */
  @WithName("checkpoint-dir")
  Path checkpointDir();

  /** Directory that jobs' {@code baseModel} paths are resolved in. */
  @WithName("model-dir")
  Path modelDir();

  Trainer trainer();

  interface Trainer {
    /** Consumer group of the replicas sharing the examples topic. */
    @WithDefault("moelora-trainer")
    String group();

    /** Longest example (instruction + input + output characters) accepted; longer ones go to the DLQ. */
    @WithName("max-example-chars")
    @WithDefault("20000")
    int maxExampleChars();

    /** Publish training metrics every this many updates. */
    @WithName("metrics-every")
    @WithDefault("5")
    int metricsEvery();

    /** Checkpoints kept per job by retention (plus the best by evaluation score). */
    @WithName("keep-last")
    @WithDefault("3")
    int keepLast();

    /** Examples read ahead of training before fetching pauses. */
    @WithName("max-queued")
    @WithDefault("2000")
    int maxQueued();
  }
}
