package io.moelora.core.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code silu(x) = x · sigmoid(x)}, SwiGLU's gate activation, as libtorch's own op while autograd
 * records: one kernel forward and one ({@code silu_backward}) in the backward, where composing it from
 * DJL's sigmoid and multiply records two more full-size products, a sigmoid backward and a gradient sum
 * per call. DJL's PyTorch engine binds no silu, so the op is reached through a one-op TorchScript module
 * ({@value #RESOURCE}, written by {@code tools/torchscript_ops.py}); a one-op graph is never made into a
 * TorchScript autodiff subgraph, so autograd records {@code SiluBackward0} as eager PyTorch does.
 *
 * <p>Without recording, arrays of at least {@value #FUSED_MIN_ELEMENTS} elements (a prompt, a batch of
 * sequences) take the module too, saving one full-size op; smaller ones (a decoding step's tokens) take
 * the two eager ops, since a module call has more fixed cost than an op. Both compute the same function;
 * they may differ in the last bit.
 */
public final class Silu {

    static final String RESOURCE = "silu.pt";
    /** Below this many elements an inference call takes the eager ops: decoding's per-token tensors. */
    static final long FUSED_MIN_ELEMENTS = 1 << 16;

    private Silu() {}

    /** @param x any shape, float; returns silu(x) of the same shape in x's manager */
    public static NDArray apply(NDArray x) {
        boolean recording = JniUtils.isGradMode();
        if (!recording && x.size() < FUSED_MIN_ELEMENTS) {
            return x.mul(Activation.sigmoid(x));
        }
        // isTrain = recording: the module runs under the thread's grad mode, so the op is recorded
        return IValueUtils.forward(Module.BLOCK, new NDList(x), recording).singletonOrThrow();
    }

    /** The loaded module, once per process on first use (class initialisation is thread-safe). */
    private static final class Module {
        static final PtSymbolBlock BLOCK = load();

        private static PtSymbolBlock load() {
            // a manager of its own that is never closed: the module lives as long as the process
            PtNDManager owner = (PtNDManager) DjlRuntime.newManager();
            try (InputStream in = Silu.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(RESOURCE + " is missing from the classpath next to " + Silu.class.getName());
                }
                return JniUtils.loadModule(owner, in, false, false);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + RESOURCE, e);
            }
        }
    }
}
