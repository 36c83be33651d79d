package io.moelora.reliability.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moelora.core.adapter.AdapterConfig;
import io.moelora.core.adapter.AdapterSet;
import io.moelora.core.checkpoint.CheckpointFiles;
import io.moelora.core.checkpoint.CheckpointStore;
import io.moelora.core.checkpoint.Manifest;
import io.moelora.core.checkpoint.StoredCheckpoint;
import io.moelora.core.io.BuiltinModels;
import io.moelora.core.io.LoadedModel;
import io.moelora.core.train.AdapterTrainer;
import io.moelora.core.train.TrainingOptions;
import io.moelora.events.AdapterType;
import io.moelora.events.CheckpointPublished;
import io.moelora.events.EventSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Real checkpoints on {@code builtin:tiny}, written with the core's store as the trainer writes them,
 * and three ways of tampering with them on the shared volume: flipped bytes, a manifest that lies about
 * a file (and is re-digested, so its id is consistent), and tensors whose shapes disagree with
 * {@code adapter_config.json} under a manifest and digest that are entirely consistent.
 */
public final class TamperedCheckpoints implements AutoCloseable {

  /** The job's adapter: MoELoRA, 2 experts of rank 2 on q/v (what the job spec in the test says). */
  public static final AdapterConfig JOB_ADAPTER = moelora(2);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final CheckpointStore store;
  private final LoadedModel base = BuiltinModels.load(BuiltinModels.TINY);

  public TamperedCheckpoints(Path storeRoot) {
    this.store = new CheckpointStore(storeRoot);
  }

  /** A genuine checkpoint of {@code jobId}, its adapter initialised from {@code seed}. */
  public StoredCheckpoint genuine(String jobId, AdapterConfig config, long seed) {
    try (AdapterSet adapters = AdapterSet.create(base.model(), config, seed);
        AdapterTrainer trainer = new AdapterTrainer(base.model(), adapters, TrainingOptions.defaults(), 10)) {
      return store.put(jobId, adapters, trainer.optimizer(), trainer.state(0, 0, Map.of()), BuiltinModels.TINY);
    }
  }

  /** (a) One byte of the adapter weights flipped after the checkpoint was published-ready. */
  public StoredCheckpoint flippedBytes(String jobId, long seed) throws IOException {
    StoredCheckpoint c = genuine(jobId, JOB_ADAPTER, seed);
    Path weights = c.path().resolve(CheckpointFiles.ADAPTER_MODEL);
    byte[] bytes = Files.readAllBytes(weights);
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(weights, bytes);
    return c;
  }

  /**
   * (b) The manifest claims a hash for the weights that they do not have; its digest is recomputed from
   * those claims and the directory renamed to it, so id, directory name and manifest digest all agree.
   */
  public StoredCheckpoint lyingManifest(String jobId, long seed) throws IOException {
    StoredCheckpoint c = genuine(jobId, JOB_ADAPTER, seed);
    ObjectNode manifest = (ObjectNode) JSON.readTree(c.path().resolve(CheckpointFiles.MANIFEST).toFile());
    ((ObjectNode) manifest.get("files")).put(CheckpointFiles.ADAPTER_MODEL, sha256("weights that are not these"));
    var lines = new StringBuilder();
    for (String name : CheckpointFiles.CONTENT) {
      lines.append(name).append(' ').append(manifest.get("files").get(name).asText()).append('\n');
    }
    String digest = sha256(lines.toString());
    manifest.put("digest", digest);
    JSON.writerWithDefaultPrettyPrinter().writeValue(c.path().resolve(CheckpointFiles.MANIFEST).toFile(), manifest);
    return renamed(c, digest);
  }

  /**
   * (c) The weights and optimizer state of a rank-4-per-expert adapter under the job's rank-2
   * {@code adapter_config.json}, with a fresh, truthful manifest: every digest check passes, only the
   * shapes give it away.
   */
  public StoredCheckpoint shapesDisagree(String jobId, long seed) throws IOException {
    StoredCheckpoint c = genuine(jobId, JOB_ADAPTER, seed);
    StoredCheckpoint wider = genuine(jobId + "-wider", moelora(4), seed);
    for (String name : List.of(CheckpointFiles.ADAPTER_MODEL, CheckpointFiles.OPTIMIZER)) {
      Files.copy(wider.path().resolve(name), c.path().resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
    Manifest manifest = Manifest.of(c.path());
    manifest.write(c.path());
    return renamed(c, manifest.digest());
  }

  /** The announcement the trainer would publish for {@code c}. */
  public static CheckpointPublished event(StoredCheckpoint c, long step) {
    return new CheckpointPublished(EventSchema.CURRENT, c.jobId(), c.checkpointId(), step, step * 4,
        c.uri().toString(), c.checkpointId(), AdapterType.MOELORA, 1000, Map.of("loss", 1.0), Instant.now());
  }

  private static StoredCheckpoint renamed(StoredCheckpoint c, String digest) throws IOException {
    Path target = c.path().resolveSibling(digest);
    Files.move(c.path(), target, StandardCopyOption.ATOMIC_MOVE);
    return new StoredCheckpoint(c.jobId(), digest, c.step(), c.examplesSeen(), target);
  }

  private static AdapterConfig moelora(int expertRank) {
    return AdapterConfig.moelora(2, 1, expertRank, 8, 0, List.of("q_proj", "v_proj"), 0, 0.1, 64, 0);
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Deletes a helper job's directory (the wider adapter (c) borrowed its tensors from). */
  public void forget(String jobId) throws IOException {
    Path dir = store.root().resolve(jobId);
    if (Files.isDirectory(dir)) {
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  @Override
  public void close() {
    base.close();
  }
}
