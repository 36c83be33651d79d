package io.moelora.core.checkpoint;

import io.moelora.core.adapter.AdapterSet;
import io.moelora.core.train.TrainingState;
import java.util.Map;

/**
 * A verified checkpoint.
 *
 * @param adapters the adapter, ready to use with its base model
 * @param state where training stood
 * @param optimizerMoments AdamW moments by key, for resuming
 * @param optimizerUpdates AdamW update count
 * @param baseModel the base model reference it was trained on
 * @param manifest file hashes and the checkpoint digest
 */
public record LoadedCheckpoint(AdapterSet adapters, TrainingState state, Map<String, float[]> optimizerMoments,
        int optimizerUpdates, String baseModel, Manifest manifest) implements AutoCloseable {

    @Override
    public void close() {
        adapters.close();
    }
}
