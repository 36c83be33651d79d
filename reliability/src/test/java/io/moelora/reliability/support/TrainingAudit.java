package io.moelora.reliability.support;

import io.moelora.core.checkpoint.CheckpointFiles;
import io.moelora.core.checkpoint.CheckpointStore;
import io.moelora.core.checkpoint.LoadedCheckpoint;
import io.moelora.core.io.LoadedModel;
import io.moelora.core.io.ModelLoader;
import io.moelora.core.io.SafetensorsFile;
import io.moelora.events.CheckpointPublished;
import io.moelora.events.EventCodec;
import io.moelora.kafkalocal.testing.TopicLog;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Checks what a trainer published against what it wrote: every announced checkpoint must open
 * through the store (files match the manifest, the manifest digest matches the directory name) and
 * carry the digest its event names; tensors can be compared and scanned for non-finite values.
 */
public final class TrainingAudit {

  /**
   * The outcome of checking a job's announced checkpoints.
   *
   * @param announced distinct checkpoints announced (re-announcements of one id count once)
   * @param verified  those that opened and matched their event's digest and example count
   * @param deleted   those no longer in the store (retention), skipped
   * @param nonFinite verified ones holding a NaN or infinite value (adapter or optimizer state)
   * @param problems  what failed, for the assertion message
   */
  public record Audit(int announced, int verified, int deleted, int nonFinite, List<String> problems) {}

  private TrainingAudit() {}

  /** The job's distinct announced checkpoints whose URI lies under {@code store}, by examples seen. */
  public static List<CheckpointPublished> announced(TopicLog checkpoints, String jobId, Path store) {
    Map<String, CheckpointPublished> byId = new LinkedHashMap<>();
    for (ConsumerRecord<String, String> r : checkpoints.byKey(jobId)) {
      CheckpointPublished p = EventCodec.fromJson(r.value(), CheckpointPublished.class);
      if (Path.of(URI.create(p.uri())).startsWith(store.toAbsolutePath().normalize())) {
        byId.putIfAbsent(p.checkpointId(), p);
      }
    }
    List<CheckpointPublished> out = new ArrayList<>(byId.values());
    out.sort(Comparator.comparingLong(CheckpointPublished::examplesSeen).thenComparingLong(CheckpointPublished::step));
    return out;
  }

  /** Opens every announced checkpoint of {@code store} against {@code builtin:tiny} and checks it. */
  public static Audit verify(Path store, List<CheckpointPublished> announced) {
    int verified = 0;
    int deleted = 0;
    int nonFinite = 0;
    List<String> problems = new ArrayList<>();
    CheckpointStore checkpoints = new CheckpointStore(store);
    try (LoadedModel base = ModelLoader.load(Path.of("builtin:tiny"), null)) {
      for (CheckpointPublished p : announced) {
        Path dir = Path.of(URI.create(p.uri()));
        if (!Files.isDirectory(dir)) {
          deleted++;
          continue;
        }
        try (LoadedCheckpoint loaded = checkpoints.open(URI.create(p.uri()), base.model())) {
          String digest = loaded.manifest().digest();
          if (!digest.equals(p.sha256()) || !digest.equals(p.checkpointId())) {
            problems.add(p.checkpointId() + ": manifest digest " + digest + " but the event says " + p.sha256());
          } else if (loaded.state().examplesSeen() != p.examplesSeen()) {
            problems.add(p.checkpointId() + ": holds " + loaded.state().examplesSeen() + " examples, the event says "
                + p.examplesSeen());
          } else {
            verified++;
          }
          if (!finite(dir)) {
            nonFinite++;
            problems.add(p.checkpointId() + ": holds non-finite values");
          }
        } catch (RuntimeException e) {
          problems.add(p.checkpointId() + ": does not open: " + e.getMessage());
        }
      }
    }
    return new Audit(announced.size(), verified, deleted, nonFinite, problems);
  }

  /** True when every tensor of the adapter and of the optimizer state is finite. */
  public static boolean finite(Path checkpoint) {
    for (String file : List.of(CheckpointFiles.ADAPTER_MODEL, CheckpointFiles.OPTIMIZER)) {
      for (float[] values : tensors(checkpoint.resolve(file)).values()) {
        for (float v : values) {
          if (!Float.isFinite(v)) {
            return false;
          }
        }
      }
    }
    return true;
  }

  /** Every tensor of a safetensors file, by name. */
  public static Map<String, float[]> tensors(Path file) {
    SafetensorsFile st = SafetensorsFile.open(file);
    Map<String, float[]> out = new LinkedHashMap<>();
    for (String name : st.entries().keySet()) {
      out.put(name, st.readFloats(name));
    }
    return out;
  }

  /**
   * The largest element-wise difference between two adapters' tensors; infinite when their tensor
   * names or shapes differ.
   */
  public static double maxAbsDifference(Path adapterA, Path adapterB) {
    Map<String, float[]> a = tensors(adapterA);
    Map<String, float[]> b = tensors(adapterB);
    if (!a.keySet().equals(b.keySet())) {
      return Double.POSITIVE_INFINITY;
    }
    double max = 0;
    for (var e : a.entrySet()) {
      float[] x = e.getValue();
      float[] y = b.get(e.getKey());
      if (x.length != y.length) {
        return Double.POSITIVE_INFINITY;
      }
      for (int i = 0; i < x.length; i++) {
        max = Math.max(max, Math.abs((double) x[i] - y[i]));
      }
    }
    return max;
  }
}
