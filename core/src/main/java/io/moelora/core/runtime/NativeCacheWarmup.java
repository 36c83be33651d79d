package io.moelora.core.runtime;

import ai.djl.engine.Engine;
import ai.djl.huggingface.tokenizers.jni.LibUtils;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.util.Utils;

/**
 * Unpacks libtorch, DJL's JNI library and the Hugging Face tokenizers library (used for models with a
 * {@code tokenizer.json}) into the DJL cache ({@code DJL_CACHE_DIR}) and runs one operation on them. Container images run it at build time, so the cache is complete and can be
 * mounted read-only: a service then never writes or downloads native code at start.
 */
public final class NativeCacheWarmup {

    private NativeCacheWarmup() {}

    public static void main(String[] args) {
        Engine engine = DjlRuntime.engine();
        try (NDManager manager = engine.newBaseManager()) {
            NDArray x = manager.ones(new ai.djl.ndarray.types.Shape(2, 2)); // [2, 2]
            float sum = x.matMul(x).sum().getFloat(); // [2, 2] x [2, 2] -> scalar 8
            if (sum != 8f) {
                throw new IllegalStateException("libtorch answered " + sum + " for a 2x2 ones matmul sum, not 8");
            }
        }
        LibUtils.checkStatus(); // loads (and so unpacks) libtokenizers
        System.out.printf("DJL %s ready: PyTorch %s on %s, native cache %s%n", Engine.getDjlVersion(),
                engine.getVersion(), engine.defaultDevice(), Utils.getEngineCacheDir("pytorch"));
    }
}
