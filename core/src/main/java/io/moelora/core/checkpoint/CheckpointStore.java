package io.moelora.core.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.moelora.core.adapter.AdapterSet;
import io.moelora.core.model.LlamaModel;
import io.moelora.core.train.AdamW;
import io.moelora.core.train.TrainingState;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checkpoints on a directory (a shared volume in deployments), content-addressed:
 * {@code <root>/<jobId>/<digest>/}. A checkpoint is staged in full and renamed into place, so readers
 * see all of it or nothing; the same content stored twice is one checkpoint. Retention keeps the
 * last K per job plus any the caller names (e.g. the best by evaluation score).
 */
public final class CheckpointStore {

    private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");
    /** Prefix of a checkpoint directory being deleted (never a digest, so never listed). */
    private static final String DELETING = ".deleting-";
    /** Prefix of a checkpoint directory being written; renamed to its digest when complete. */
    private static final String STAGING = ".staging-";
    /**
     * Age after which a staging directory is a crash's leftover: a write takes seconds, and a younger
     * one may belong to another replica writing the same job while partitions move.
     */
    static final Duration STALE_STAGING = Duration.ofMinutes(10);

    private final Path root;

    public CheckpointStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** Writes a checkpoint of {@code adapters} for {@code jobId} and returns where it is. */
    public StoredCheckpoint put(String jobId, AdapterSet adapters, AdamW optimizer, TrainingState state, String baseModel) {
        Path jobDir = jobDir(jobId);
        Path staging = jobDir.resolve(STAGING + UUID.randomUUID());
        try {
            Files.createDirectories(jobDir);
            Manifest manifest = CheckpointWriter.write(staging, adapters, optimizer, state, baseModel);
            Path target = jobDir.resolve(manifest.digest());
            if (Files.isDirectory(target)) {
                deleteTree(staging); // identical content is already stored
            } else {
                Files.move(staging, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            return new StoredCheckpoint(jobId, manifest.digest(), state.step(), state.examplesSeen(), target);
        } catch (IOException e) {
            deleteTree(staging);
            throw new CheckpointException(jobDir + ": cannot store checkpoint: " + e.getMessage(), e);
        }
    }

    /**
     * Opens a stored checkpoint by URI, refusing one outside this store, one whose content does not
     * match its name (digest), and any file whose hash disagrees with the manifest.
     */
    public LoadedCheckpoint open(URI uri, LlamaModel model) {
        Path dir = Path.of(uri).toAbsolutePath().normalize();
        if (!dir.startsWith(root) || dir.getNameCount() != root.getNameCount() + 2) {
            throw new CheckpointException(uri + ": not a checkpoint of the store at " + root);
        }
        String name = dir.getFileName().toString();
        if (!DIGEST.matcher(name).matches()) {
            throw new CheckpointException(uri + ": not a content-addressed checkpoint name");
        }
        LoadedCheckpoint loaded = CheckpointReader.read(dir, model);
        if (!loaded.manifest().digest().equals(name)) {
            loaded.close();
            throw new CheckpointException(uri + ": content digest " + loaded.manifest().digest() + " differs from its name");
        }
        return loaded;
    }

    /**
     * The job's checkpoints, oldest first: by step, then examples seen (updates skipped as non-finite
     * consume examples without a step), then id.
     */
    public List<StoredCheckpoint> list(String jobId) {
        Path jobDir = jobDir(jobId);
        if (!Files.isDirectory(jobDir)) {
            return List.of();
        }
        List<StoredCheckpoint> out = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> dirs = Files.list(jobDir)) {
            for (Path d : dirs.filter(p -> DIGEST.matcher(p.getFileName().toString()).matches()).toList()) {
                com.fasterxml.jackson.databind.JsonNode state;
                try {
                    state = json.readTree(d.resolve(CheckpointFiles.TRAINING_STATE).toFile());
                } catch (java.io.FileNotFoundException | java.nio.file.NoSuchFileException gone) {
                    if (Files.exists(d)) {
                        throw gone; // a checkpoint without its state is damaged, not deleted
                    }
                    continue; // retention (maybe another replica's) removed it since the directory was listed
                }
                out.add(new StoredCheckpoint(jobId, d.getFileName().toString(), state.path("step").asInt(-1),
                        state.path("examplesSeen").asLong(-1), d));
            }
        } catch (IOException e) {
            throw new CheckpointException(jobDir + ": cannot list checkpoints: " + e.getMessage(), e);
        }
        out.sort(Comparator.comparingInt(StoredCheckpoint::step).thenComparingLong(StoredCheckpoint::examplesSeen)
                .thenComparing(StoredCheckpoint::checkpointId));
        return out;
    }

    /** The newest checkpoint of the job, if any (where a restarted trainer resumes). */
    public java.util.Optional<StoredCheckpoint> latest(String jobId) {
        List<StoredCheckpoint> all = list(jobId);
        return all.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(all.get(all.size() - 1));
    }

    /**
     * Deletes the job's checkpoints except the newest {@code keepLast} and those in {@code keep}.
     *
     * @return the deleted ones
     */
    public List<StoredCheckpoint> retain(String jobId, int keepLast, Set<String> keep) {
        if (keepLast < 1) {
            throw new IllegalArgumentException("keepLast must be >= 1, got " + keepLast);
        }
        List<StoredCheckpoint> all = list(jobId);
        List<StoredCheckpoint> deleted = new ArrayList<>();
        for (int i = 0; i < all.size() - keepLast; i++) {
            StoredCheckpoint c = all.get(i);
            if (!keep.contains(c.checkpointId())) {
                delete(c.path());
                deleted.add(c);
            }
        }
        sweepLeftovers(jobDir(jobId));
        return deleted;
    }

    private Path jobDir(String jobId) {
        if (jobId == null || !JOB_ID.matcher(jobId).matches() || jobId.equals(".") || jobId.equals("..")) {
            throw new IllegalArgumentException("jobId must match [A-Za-z0-9._-]{1,128} and not be '.' or '..', got '"
                    + jobId + "'");
        }
        return root.resolve(jobId);
    }

    /**
     * Takes a checkpoint out of its content-addressed name in one rename before deleting its files,
     * so a concurrent reader sees the whole checkpoint or none of it (never a half-deleted one).
     */
    private static void delete(Path checkpoint) {
        Path doomed = checkpoint.resolveSibling(DELETING + checkpoint.getFileName() + "-" + UUID.randomUUID());
        try {
            Files.move(checkpoint, doomed, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.NoSuchFileException e) {
            return; // already deleted by another replica
        } catch (IOException e) {
            throw new CheckpointException(checkpoint + ": cannot delete: " + e.getMessage(), e);
        }
        deleteTree(doomed);
    }

    /**
     * Removes what a deletion or a write interrupted by a crash left behind: {@code .deleting-*}
     * directories, and staging ones untouched for {@link #STALE_STAGING}.
     */
    private static void sweepLeftovers(Path jobDir) {
        FileTime stale = FileTime.from(Instant.now().minus(STALE_STAGING));
        try (Stream<Path> dirs = Files.list(jobDir)) {
            dirs.filter(p -> p.getFileName().toString().startsWith(DELETING)
                    || isStaging(p.getFileName().toString()) && modifiedBefore(p, stale))
                    .forEach(CheckpointStore::deleteTree);
        } catch (IOException e) {
            throw new CheckpointException(jobDir + ": cannot list checkpoints: " + e.getMessage(), e);
        }
    }

    /** {@code .staging-*}, or the writer's own temporary directory inside it ({@code ..staging-*.tmp-*}). */
    private static boolean isStaging(String name) {
        return name.startsWith(STAGING) || name.startsWith("." + STAGING);
    }

    private static boolean modifiedBefore(Path dir, FileTime time) {
        try {
            return Files.getLastModifiedTime(dir).compareTo(time) < 0;
        } catch (IOException e) {
            return false; // gone meanwhile (moved into place or deleted)
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new CheckpointException(dir + ": cannot delete: " + e.getMessage(), e);
        }
    }
}
