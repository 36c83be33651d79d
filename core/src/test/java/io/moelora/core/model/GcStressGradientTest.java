package io.moelora.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.moelora.core.io.LoadedModel;
import io.moelora.core.io.ModelLoader;
import io.moelora.core.runtime.DjlRuntime;
import io.moelora.core.testing.GoldenFixtures;
import io.moelora.core.testing.TinyLlamaFixture;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Garbage collection between forward and backward must not change any gradient: DJL frees the
 * temporaries of {@code NDArray.op(Number)} on GC while autograd still needs them, so a regression
 * that brings such a call into the forward pass shows up here as a different (or NaN) gradient.
 */
class GcStressGradientTest {

    @TempDir
    Path dir;

    /** A trainable delta on top of a frozen projection: {@code y = base(x) + x D}. */
    record DeltaProjection(Projection base, NDArray delta) implements Projection {
        @Override
        public NDArray forward(NDArray x) {
            return base.forward(x).add(x.matMul(delta));
        }

        @Override
        public int inFeatures() {
            return base.inFeatures();
        }

        @Override
        public int outFeatures() {
            return base.outFeatures();
        }
    }

    @Test
    void gcBetweenForwardAndBackwardChangesNoGradient() throws Exception {
        try (LoadedModel loaded = ModelLoader.load(
                TinyLlamaFixture.write(GoldenFixtures.json("tiny-llama-half_gqa_bias.json"), dir), null)) {
            LlamaModel model = loaded.model();
            NDManager params = model.weightsManager().newSubManager();
            Projection q = model.layers().get(0).projections().get("q_proj");
            NDArray delta = params.randomNormal(0f, 0.02f, new Shape(q.inFeatures(), q.outFeatures()),
                    ai.djl.ndarray.types.DataType.FLOAT32); // (in, out)
            delta.setRequiresGradient(true);
            Adapters adapters = (layer, module, base, x) -> layer == 0 && module.equals("q_proj")
                    ? new DeltaProjection(base, delta).forward(x) : base.forward(x);
            NDArray probe = params.randomNormal(new Shape(2, 8, model.config().vocabSize())); // (B, T, V)

            float[] calm = gradient(model, adapters, delta, probe, false);
            float[] stressed = gradient(model, adapters, delta, probe, true);

            for (float g : calm) {
                assertThat(g).isFinite();
            }
            assertThat(java.util.stream.IntStream.range(0, calm.length).filter(i -> calm[i] != 0f).count()).isPositive();
            for (int i = 0; i < calm.length; i++) {
                assertThat(stressed[i]).as("grad[%d]", i).isCloseTo(calm[i], org.assertj.core.api.Assertions.within(1e-6f));
            }
            params.close();
        }
    }

    private static float[] gradient(LlamaModel model, Adapters adapters, NDArray delta, NDArray probe, boolean collectGarbage)
            throws InterruptedException {
        DjlRuntime.trainingMode();
        try (NDManager step = DjlRuntime.newManager();
                GradientCollector collector = DjlRuntime.engine().newGradientCollector()) {
            TokenBatch batch = TokenBatch.leftPadded(List.of(new int[] {1, 5, 9, 14, 33, 2, 60, 7},
                    new int[] {1, 40, 3, 22, 11}), 0);
            NDArray loss = model.logits(step, batch, null, adapters).mul(probe).sum(); // ()
            if (collectGarbage) {
                for (int i = 0; i < 3; i++) {
                    System.gc();
                    Thread.sleep(50);
                }
            }
            collector.backward(loss);
            try (NDArray grad = delta.getGradient()) {
                float[] values = grad.toFloatArray();
                grad.subi(grad); // gradients accumulate across collectors: start the next run from zero
                return values;
            }
        } finally {
            DjlRuntime.inferenceMode();
        }
    }
}
