package io.moelora.eval.service;

import io.moelora.core.checkpoint.CheckpointException;
import io.moelora.core.checkpoint.CheckpointStore;
import io.moelora.core.checkpoint.LoadedCheckpoint;
import io.moelora.core.model.LlamaModel;
import io.moelora.core.model.ModelFormatException;
import io.moelora.events.CheckpointPublished;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Path;

/**
 * Opens a published checkpoint only if it is exactly what was published: the event's
 * {@code checkpointId} and {@code sha256} are the same content digest, its URI names the directory
 * {@code <store>/<jobId>/<digest>}, and the store finds every file's hash and the digest as the
 * manifest says. The cheap checks come first, so a bad event costs no file reads.
 */
final class CheckpointVerifier {

  private final CheckpointStore store;

  CheckpointVerifier(CheckpointStore store) {
    this.store = store;
  }

  /**
   * The verified checkpoint, adapters ready on {@code model}; the caller closes it.
   *
   * @throws RefusedException naming the first mismatch
   */
  LoadedCheckpoint open(CheckpointPublished event, LlamaModel model) throws RefusedException {
    String digest = event.sha256();
    if (!digest.equals(event.checkpointId())) {
      throw new RefusedException("checkpointId " + event.checkpointId() + " is not its content digest (sha256 "
          + digest + "): checkpoints are content-addressed");
    }
    URI uri = URI.create(event.uri());
    if (!"file".equalsIgnoreCase(uri.getScheme())) {
      throw new RefusedException("uri " + event.uri() + " is not a file: URI in the checkpoint store at "
          + store.root());
    }
    Path dir;
    try {
      dir = Path.of(uri);
    } catch (IllegalArgumentException | FileSystemNotFoundException e) {
      throw new RefusedException("uri " + event.uri() + " names no directory: " + e.getMessage(), e);
    }
    Path job = dir.getParent();
    if (!dir.getFileName().toString().equals(digest) || job == null
        || !job.getFileName().toString().equals(event.jobId())) {
      throw new RefusedException("uri " + event.uri() + " is not the store path <jobId>/<sha256> of job "
          + event.jobId() + " and sha256 " + digest);
    }
    LoadedCheckpoint loaded;
    try {
      loaded = store.open(uri, model);
    } catch (CheckpointException | ModelFormatException | IllegalArgumentException | UncheckedIOException e) {
      throw new RefusedException(e.getMessage(), e);
    }
    if (!loaded.manifest().digest().equals(digest)) {
      // The store already ties the digest to the directory name; this guards that promise here too.
      loaded.close();
      throw new RefusedException("files give digest " + loaded.manifest().digest() + ", the event says " + digest);
    }
    return loaded;
  }
}
