package io.moelora.eval.testing;

import io.moelora.core.adapter.AdapterConfig;
import io.moelora.core.adapter.AdapterSet;
import io.moelora.core.checkpoint.CheckpointFiles;
import io.moelora.core.checkpoint.CheckpointStore;
import io.moelora.core.checkpoint.StoredCheckpoint;
import io.moelora.core.io.BuiltinModels;
import io.moelora.core.io.LoadedModel;
import io.moelora.core.train.AdapterTrainer;
import io.moelora.core.train.TrainingOptions;
import io.moelora.events.AdapterType;
import io.moelora.events.CheckpointPublished;
import io.moelora.events.EventSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Real MoELoRA checkpoints on {@code builtin:tiny}, written with the core's store the way the trainer
 * writes them, and the events that announce them. Different seeds give different adapters, so
 * different content digests.
 */
public final class TestCheckpoints implements AutoCloseable {

  public static final String BASE = BuiltinModels.TINY;

  private static final AdapterConfig MOELORA = AdapterConfig.moelora(2, 1, 2, 8, 0, List.of("q_proj", "v_proj"),
      0, 0.1, 64, 0);

  private final CheckpointStore store;
  private final LoadedModel base = BuiltinModels.load(BASE);

  public TestCheckpoints(Path storeRoot) {
    this.store = new CheckpointStore(storeRoot);
  }

  /** A checkpoint of {@code jobId} whose adapter is initialised from {@code seed}. */
  public StoredCheckpoint write(String jobId, long seed) {
    try (AdapterSet adapters = AdapterSet.create(base.model(), MOELORA, seed);
        AdapterTrainer trainer = new AdapterTrainer(base.model(), adapters, TrainingOptions.defaults(), 10)) {
      return store.put(jobId, adapters, trainer.optimizer(), trainer.state(0, 0, Map.of()), BASE);
    }
  }

  /** The event the trainer publishes for {@code stored}, claiming {@code step}. */
  public static CheckpointPublished event(StoredCheckpoint stored, long step) {
    return event(stored, step, stored.checkpointId(), stored.checkpointId());
  }

  /** An event for {@code stored} with any checkpointId and sha256, e.g. a wrong one. */
  public static CheckpointPublished event(StoredCheckpoint stored, long step, String checkpointId, String sha256) {
    return new CheckpointPublished(EventSchema.CURRENT, stored.jobId(), checkpointId, step, step * 16,
        stored.uri().toString(), sha256, AdapterType.MOELORA, 1000, Map.of("loss", 1.5), Instant.now());
  }

  /** Flips one byte of the stored adapter weights, as a corrupted volume or a tampering hand would. */
  public static void tamper(StoredCheckpoint stored) {
    Path weights = stored.path().resolve(CheckpointFiles.ADAPTER_MODEL);
    try {
      byte[] bytes = Files.readAllBytes(weights);
      bytes[bytes.length - 1] ^= 0x01;
      Files.write(weights, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    base.close();
  }
}
