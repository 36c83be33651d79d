package io.moelora.core.pretrain;

import io.moelora.core.io.BuiltinModels;
import io.moelora.core.io.ByteTokenizerMarker;
import io.moelora.core.io.HfCheckpoint;
import io.moelora.core.tokenizer.ByteTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The project's own tiny base model as a model directory: the {@code builtin:tiny} config from its
 * deterministic weights, pre-trained on the built-in {@link PretrainCorpus}. {@link #ensure} builds it
 * once and reuses it afterwards (services name it {@code baseModel: "tiny"} inside their model
 * directory, e.g. {@code $MOELORA_STATE_DIR/models/tiny}).
 */
public final class TinyBase {

    /** The {@link PretrainRecord#model()} of this base. */
    public static final String MODEL = "tiny";

    private static final List<String> FILES =
            List.of(HfCheckpoint.CONFIG, HfCheckpoint.SINGLE, ByteTokenizerMarker.FILE, PretrainRecord.FILE);

    private TinyBase() {}

    /**
     * What {@link #ensure} found or made.
     *
     * @param dir the model directory
     * @param built true when it was trained now, false when an existing one was reused
     */
    public record Result(Path dir, boolean built, PretrainRecord record) {}

    /** {@link #ensure(Path, PretrainOptions, boolean, PretrainListener)} with the default options. */
    public static Result ensure(Path dir, PretrainListener listener) {
        return ensure(dir, PretrainOptions.defaults(), false, listener);
    }

    /**
     * Makes {@code dir} hold the tiny base pre-trained with {@code options}: reuses it when it is
     * complete, was trained with these options on this corpus and its weights are intact; otherwise
     * (or with {@code force}) trains it and replaces the directory. Processes ensuring the same
     * directory take turns (a lock file beside it), so the base is trained once. Training opens the
     * JVM's one GradientCollector per update: call this before any adapter training starts.
     *
     * @throws IllegalArgumentException when {@code dir} exists but holds something other than a base
     *     written here (nothing is deleted)
     */
    public static Result ensure(Path dir, PretrainOptions options, boolean force, PretrainListener listener) {
        Path target = dir.toAbsolutePath().normalize();
        PretrainCorpus corpus = PretrainCorpus.builtin(new ByteTokenizer());
        if (!force) { // reuse needs no lock, so a read-only model directory works
            Optional<PretrainRecord> existing = reusable(target, corpus, options);
            if (existing.isPresent()) {
                return new Result(target, false, existing.get());
            }
        }
        synchronized (TinyBase.class) { // a FileLock is per process: threads of one JVM queue here
            try {
                Files.createDirectories(target.getParent());
                Path lockFile = target.resolveSibling("." + target.getFileName() + ".lock");
                try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                        FileLock lock = channel.lock()) {
                    if (!force) { // another process may have built it while this one waited
                        Optional<PretrainRecord> existing = reusable(target, corpus, options);
                        if (existing.isPresent()) {
                            return new Result(target, false, existing.get());
                        }
                    }
                    refuseForeign(target);
                    return new Result(target, true, build(target, corpus, options, listener));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(target + ": " + e.getMessage(), e);
            }
        }
    }

    /** The record of {@code dir} when it holds exactly the base that {@code options} would train. */
    public static Optional<PretrainRecord> reusable(Path dir, PretrainOptions options) {
        return reusable(dir, PretrainCorpus.builtin(new ByteTokenizer()), options);
    }

    private static Optional<PretrainRecord> reusable(Path dir, PretrainCorpus corpus, PretrainOptions options) {
        if (!FILES.stream().allMatch(f -> Files.isRegularFile(dir.resolve(f)))) {
            return Optional.empty();
        }
        try {
            PretrainRecord record = PretrainRecord.read(dir);
            if (record.matches(MODEL, corpus, options)
                    && BaseModelWriter.sha256(dir.resolve(HfCheckpoint.SINGLE)).equals(record.modelSha256())) {
                return Optional.of(record);
            }
        } catch (IOException e) {
            // unreadable or damaged record: rebuilt like a stale one
        }
        return Optional.empty();
    }

    private static PretrainRecord build(Path dir, PretrainCorpus corpus, PretrainOptions options, PretrainListener listener) {
        try (TrainableBase base = TrainableBase.initial(BuiltinModels.tinyConfig())) {
            PretrainReport report = new BasePretrainer(base, corpus, options).run(listener);
            return BaseModelWriter.write(dir, base, sha -> PretrainRecord.of(MODEL, corpus, options, report, sha));
        }
    }

    /** Replacing a directory is fine when it is empty or was written here (it has a pretrain.json). */
    private static void refuseForeign(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " exists and is not a directory");
        }
        boolean empty;
        try (Stream<Path> entries = Files.list(dir)) {
            empty = entries.findAny().isEmpty();
        }
        if (!empty && !Files.isRegularFile(dir.resolve(PretrainRecord.FILE))) {
            throw new IllegalArgumentException(dir + " exists and is not a base model written by this tool (no "
                    + PretrainRecord.FILE + "); choose another directory or remove it");
        }
    }
}
