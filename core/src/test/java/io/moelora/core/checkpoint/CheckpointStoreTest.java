package io.moelora.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moelora.core.adapter.AdapterConfig;
import io.moelora.core.adapter.AdapterSet;
import io.moelora.core.io.LoadedModel;
import io.moelora.core.testing.TinyModels;
import io.moelora.core.train.AdapterTrainer;
import io.moelora.core.train.EpochRunner;
import io.moelora.core.train.TrainingOptions;
import io.moelora.core.train.TrainingState;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Content-addressed storage, listing, retention, and refusal of foreign or tampered checkpoints. */
class CheckpointStoreTest {

    @TempDir
    Path dir;

    @Test
    void storesByDigestListsByStepRetainsAndRefuses() throws Exception {
        CheckpointStore store = new CheckpointStore(dir.resolve("store"));
        AdapterConfig config = AdapterConfig.lora(4, 8, 0, List.of("q_proj", "v_proj"));
        List<StoredCheckpoint> stored = new ArrayList<>();
        try (LoadedModel base = TinyModels.halfMha(dir.resolve("base"));
                AdapterSet set = AdapterSet.create(base.model(), config, 1);
                AdapterTrainer trainer = new AdapterTrainer(base.model(), set,
                        TrainingOptions.defaults().withLr(1e-2).withWarmup(0).withBatching(4, 1, 32), 10)) {
            EpochRunner runner = new EpochRunner(TinyModels.countingTask(16, 1), trainer, 10);
            for (int step = 1; step <= 4; step++) {
                runner.run(step);
                stored.add(store.put("job-1", set, trainer.optimizer(), trainer.state(0, 0, Map.of()), "tiny"));
            }
            StoredCheckpoint again = store.put("job-1", set, trainer.optimizer(), trainer.state(0, 0, Map.of()), "tiny");
            assertThat(again.checkpointId()).as("same content, same id").isEqualTo(stored.get(3).checkpointId());

            assertThat(store.list("job-1")).extracting(StoredCheckpoint::step).containsExactly(1, 2, 3, 4);
            assertThat(store.latest("job-1")).hasValueSatisfying(c -> assertThat(c.step()).isEqualTo(4));
            assertThat(stored.get(0).path().getFileName().toString()).isEqualTo(stored.get(0).checkpointId()).hasSize(64);
            try (LoadedCheckpoint c = store.open(stored.get(2).uri(), base.model())) {
                assertThat(c.state().step()).isEqualTo(3);
            }

            List<StoredCheckpoint> deleted = store.retain("job-1", 2, Set.of(stored.get(0).checkpointId()));
            assertThat(deleted).extracting(StoredCheckpoint::step).containsExactly(2);
            assertThat(store.list("job-1")).extracting(StoredCheckpoint::step).containsExactly(1, 3, 4);

            Path renamed = stored.get(3).path().resolveSibling("0".repeat(64));
            Files.move(stored.get(3).path(), renamed);
            assertThatThrownBy(() -> store.open(renamed.toUri(), base.model()))
                    .isInstanceOf(CheckpointException.class).hasMessageContaining("differs from its name");
            assertThatThrownBy(() -> store.open(URI.create("file:///etc/passwd"), base.model()))
                    .isInstanceOf(CheckpointException.class).hasMessageContaining("not a checkpoint of the store");
            assertThatThrownBy(() -> store.list("../escape")).hasMessageContaining("jobId must match");
            assertThat(Files.list(dir.resolve("store/job-1")).map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.startsWith(".staging-"));
        }
    }

    @Test
    void latestOrdersByExamplesWhenUpdatesWereSkipped() throws Exception {
        CheckpointStore store = new CheckpointStore(dir.resolve("store"));
        AdapterConfig config = AdapterConfig.lora(4, 8, 0, List.of("q_proj"));
        try (LoadedModel base = TinyModels.halfMha(dir.resolve("base"));
                AdapterSet set = AdapterSet.create(base.model(), config, 1);
                AdapterTrainer trainer = new AdapterTrainer(base.model(), set, TrainingOptions.defaults(), 10)) {
            // Non-finite updates consume examples without a step: same step, more examples, later.
            for (long seen : new long[] {16, 8, 24}) {
                TrainingState s = trainer.state(0, 0, Map.of("t-0", seen));
                store.put("job-2", set, trainer.optimizer(), new TrainingState(s.formatVersion(), 0, seen, 0, 0, s.seed(),
                        s.baseLr(), s.warmupSteps(), s.totalSteps(), 0, 0, s.consumedOffsets(), s.lossTail(),
                        s.optimizerFile(), s.rng(), 0), "tiny");
            }
            assertThat(store.list("job-2")).extracting(StoredCheckpoint::examplesSeen).containsExactly(8L, 16L, 24L);
            assertThat(store.latest("job-2")).hasValueSatisfying(c -> assertThat(c.examplesSeen()).isEqualTo(24));
        }
    }

    @Test
    void listingDuringRetentionSeesWholeCheckpointsOnlyAndCrashLeftoversAreSwept() throws Exception {
        CheckpointStore store = new CheckpointStore(dir.resolve("store"));
        AdapterConfig config = AdapterConfig.lora(4, 8, 0, List.of("q_proj"));
        try (LoadedModel base = TinyModels.halfMha(dir.resolve("base"));
                AdapterSet set = AdapterSet.create(base.model(), config, 1);
                AdapterTrainer trainer = new AdapterTrainer(base.model(), set, TrainingOptions.defaults(), 10)) {
            java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
            java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            // Another replica (or the gateway) lists while this one stores and prunes.
            Thread lister = new Thread(() -> {
                while (!done.get() && failure.get() == null) {
                    try {
                        store.list("job-3");
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                }
            });
            lister.start();
            for (long seen = 1; seen <= 40; seen++) {
                TrainingState s = trainer.state(0, 0, Map.of("t-0", seen));
                store.put("job-3", set, trainer.optimizer(), new TrainingState(s.formatVersion(), 0, seen, 0, 0, s.seed(),
                        s.baseLr(), s.warmupSteps(), s.totalSteps(), 0, 0, s.consumedOffsets(), s.lossTail(),
                        s.optimizerFile(), s.rng(), 0), "tiny");
                store.retain("job-3", 2, Set.of());
            }
            done.set(true);
            lister.join();
            assertThat(failure.get()).as("a listing concurrent with retention").isNull();
            assertThat(store.list("job-3")).extracting(StoredCheckpoint::examplesSeen).containsExactly(39L, 40L);

            Path leftover = Files.createDirectories(dir.resolve("store/job-3/.deleting-" + "a".repeat(64) + "-x"));
            Files.writeString(leftover.resolve("adapters.bin"), "half deleted");
            // A write killed midway leaves the writer's temporary directory (named as after a kill -9 of
            // the trainer); one of another replica may be in progress.
            Path abandoned = Files.createDirectories(dir.resolve("store/job-3/..staging-abandoned.tmp-1"));
            Files.writeString(abandoned.resolve("adapter_model.safetensors"), "half written");
            Files.setLastModifiedTime(abandoned, java.nio.file.attribute.FileTime.from(
                    java.time.Instant.now().minus(CheckpointStore.STALE_STAGING).minusSeconds(60)));
            Path writing = Files.createDirectories(dir.resolve("store/job-3/.staging-writing"));
            store.retain("job-3", 2, Set.of());
            assertThat(leftover).doesNotExist();
            assertThat(abandoned).as("a stale staging directory").doesNotExist();
            assertThat(writing).as("a staging directory written to just now").exists();
            assertThat(store.list("job-3")).extracting(StoredCheckpoint::examplesSeen).containsExactly(39L, 40L);

            Path damaged = Files.createDirectories(dir.resolve("store/job-3/" + "b".repeat(64)));
            assertThatThrownBy(() -> store.list("job-3")).isInstanceOf(CheckpointException.class)
                    .hasMessageContaining(damaged.getFileName().toString());
        }
    }
}
