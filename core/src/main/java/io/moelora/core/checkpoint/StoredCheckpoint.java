package io.moelora.core.checkpoint;

import java.net.URI;
import java.nio.file.Path;

/**
 * A checkpoint kept by a {@link CheckpointStore}.
 *
 * @param jobId the job it belongs to
 * @param checkpointId its content digest (sha256 of the manifest lines): equal content, equal id
 * @param step optimizer updates done when it was written
 * @param examplesSeen examples consumed when it was written
 * @param path its directory
 */
public record StoredCheckpoint(String jobId, String checkpointId, int step, long examplesSeen, Path path) {

    /** What events carry instead of the weights. */
    public URI uri() {
        return path.toUri();
    }
}
