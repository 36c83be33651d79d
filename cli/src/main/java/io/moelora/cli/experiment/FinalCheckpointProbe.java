package io.moelora.cli.experiment;

import io.moelora.core.checkpoint.CheckpointException;
import io.moelora.core.checkpoint.CheckpointStore;
import io.moelora.core.checkpoint.LoadedCheckpoint;
import io.moelora.core.data.InstructionExample;
import io.moelora.core.io.LoadedModel;
import io.moelora.core.model.ModelFormatException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The routing analysis of a run trained on the stack: its final checkpoint, read from the stack's
 * checkpoint directory (the services' shared volume) and verified against its content digest, is probed
 * here as an in-process run's final adapter is ({@link RoutingProbe}).
 */
final class FinalCheckpointProbe {

    /** Why a run's routing could not be measured; the report states it instead of the tables. */
    static final class Unavailable extends Exception {

        private static final long serialVersionUID = 1L;

        Unavailable(String reason) {
            super(reason);
        }
    }

    private final LoadedModel base;
    private final Path root;
    private final Map<String, List<InstructionExample>> probes;

    /**
     * @param root the checkpoint store's root, {@code <root>/<jobId>/<checkpointId>/}
     * @param probes probe examples per task
     */
    FinalCheckpointProbe(LoadedModel base, Path root, Map<String, List<InstructionExample>> probes) {
        this.base = base;
        this.root = root;
        this.probes = probes;
    }

    Path root() {
        return root;
    }

    /** The routing of {@code recipe}'s adapter in checkpoint {@code checkpointId} of job {@code jobId}. */
    List<ModuleRouting> measure(RecipeRun recipe, String jobId, String checkpointId) throws Unavailable {
        if (!Files.isDirectory(root)) {
            throw new Unavailable("the checkpoint directory " + root + " does not exist on this machine (pass"
                    + " --checkpoints with the stack's checkpoint volume)");
        }
        if (!Files.isReadable(root)) {
            throw new Unavailable("the checkpoint directory " + root + " is not readable");
        }
        Path dir = root.resolve(jobId).resolve(checkpointId);
        if (!Files.isDirectory(dir)) {
            throw new Unavailable("checkpoint " + checkpointId + " of job " + jobId + " is not in " + root
                    + " (another checkpoint directory, or deleted since)");
        }
        try (LoadedCheckpoint c = new CheckpointStore(root).open(dir.toUri(), base.model())) {
            return RoutingProbe.measure(base, c.adapters(), probes, recipe.spec().batching().cutoff(),
                    recipe.spec().batching().microBatch());
        } catch (CheckpointException | ModelFormatException | UncheckedIOException e) {
            throw new Unavailable("checkpoint " + checkpointId + " of job " + jobId + " cannot be read: " + e.getMessage());
        }
    }
}
