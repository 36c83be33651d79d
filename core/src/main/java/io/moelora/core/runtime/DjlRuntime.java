package io.moelora.core.runtime;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The one place that starts DJL. Every entry point that touches tensors goes through here, so the
 * offline guard is always set before the engine (or a tokenizer) could open a network connection.
 */
public final class DjlRuntime {

    static {
        // DJL opens telemetry connections at engine start unless told it is offline; the property
        // cannot be set from application.properties, so the owner of all DJL access sets it.
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
    }

    private DjlRuntime() {}

    /** The PyTorch engine, started on first use. */
    public static Engine engine() {
        return Engine.getEngine("PyTorch");
    }

    /** A new root manager on the PyTorch engine (CPU). */
    public static NDManager newManager() {
        return engine().newBaseManager();
    }

    /**
     * Turns autograd recording off on the calling thread. Grad mode is thread-local and pooled worker
     * threads keep whatever was last set, so every inference call starts with this (it is cheap).
     */
    public static void inferenceMode() {
        engine();
        JniUtils.setGradMode(false);
    }

    /** Turns autograd recording on for the calling thread (training only). */
    public static void trainingMode() {
        engine();
        JniUtils.setGradMode(true);
    }
}
