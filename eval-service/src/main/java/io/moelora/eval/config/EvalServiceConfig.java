package io.moelora.eval.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The eval service's configuration ({@code moelora.*}; every key can be set by environment variable). */
@ConfigMapping(prefix = "moelora")
public interface EvalServiceConfig {

  /** Root of the checkpoint store the trainer writes (a shared volume when services run apart). */
  @WithName("checkpoint-dir")
  Path checkpointDir();

  /** Directory that jobs' {@code baseModel} paths are resolved in. */
  @WithName("model-dir")
  Path modelDir();

  /**
   * Suites in the LLM-Adapters layout ({@code <Suite>/test.json}); absent: only the built-in
   * synthetic suites can run, and a job naming another suite gets it refused.
   */
  @WithName("data-dir")
  Optional<Path> dataDir();

  Eval eval();

  interface Eval {

    /** Publish a progress event every this many items of a suite. */
    @WithName("progress-every")
    @WithDefault("25")
    int progressEvery();

    /** Suites (names or groups, comma-separated) for jobs whose spec names none. */
    @WithName("default-suites")
    @WithDefault("synthetic")
    String defaultSuites();

    /**
     * How long to wait for the jobs topic to be read up to its end when a checkpoint names a job not
     * seen yet; a job still unknown after that is rejected to the DLQ.
     */
    @WithName("job-lookup-timeout")
    @WithDefault("10s")
    Duration jobLookupTimeout();

    /** Base models kept loaded at once (least recently used goes first); each costs its weights in memory. */
    @WithName("cached-base-models")
    @WithDefault("2")
    int cachedBaseModels();
  }
}
