package io.moelora.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.moelora.core.runtime.DjlRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Child process of {@link MklDispatchTest}: one seeded fp32 product through DJL's libtorch, written
 * raw to a file, and whether the MKL dispatch library is loaded in this process.
 */
public final class MklProbe {

    static final int ROWS = 256;
    static final int IN = 512;
    static final int OUT = 384;

    private MklProbe() {}

    /** @param args the output file */
    public static void main(String[] args) throws Exception {
        Random rng = new Random(42);
        float[] x = new float[ROWS * IN];
        float[] w = new float[OUT * IN];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rng.nextGaussian();
        }
        try (NDManager m = DjlRuntime.newManager()) {
            NDArray xs = m.create(x, new Shape(ROWS, IN)); // (rows, in) activations
            NDArray ws = m.create(w, new Shape(OUT, IN)); // (out, in) weight, as Linear keeps it
            NDArray y = xs.matMul(ws.transpose()); // (rows, out)
            Files.write(Path.of(args[0]), y.toByteArray());
        }
        System.out.println("mkl dispatch loaded: " + Machine.mklDispatch());
    }
}
