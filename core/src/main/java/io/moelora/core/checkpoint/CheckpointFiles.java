package io.moelora.core.checkpoint;

import java.util.List;

/** File names inside an adapter checkpoint directory. */
public final class CheckpointFiles {

    public static final String ADAPTER_MODEL = "adapter_model.safetensors";
    public static final String ADAPTER_CONFIG = "adapter_config.json";
    public static final String TRAINING_STATE = "training_state.json";
    public static final String OPTIMIZER = io.moelora.core.train.TrainingState.OPTIMIZER_FILE;
    public static final String MANIFEST = "manifest.json";

    /** Every file the manifest covers, in digest order. */
    public static final List<String> CONTENT = List.of(ADAPTER_CONFIG, ADAPTER_MODEL, OPTIMIZER, TRAINING_STATE);

    private CheckpointFiles() {}
}
