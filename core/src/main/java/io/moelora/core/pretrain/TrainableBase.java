package io.moelora.core.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.moelora.core.model.LlamaAssembler;
import io.moelora.core.model.LlamaConfig;
import io.moelora.core.model.LlamaModel;
import io.moelora.core.model.SyntheticWeights;
import io.moelora.core.model.TensorSource;
import io.moelora.core.runtime.DjlRuntime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A base model whose every weight is trainable, for full-weight pre-training: the config's
 * deterministic {@link SyntheticWeights} with gradients attached, assembled into an ordinary
 * {@link LlamaModel} that reads those very arrays. Nothing in the model changes: frozen-base adapter
 * training keeps loading weights without gradients, and only this class makes base weights leaves of
 * the autograd graph.
 *
 * <p>The model is assembled with autograd on, so the transposed views its projections keep (and the
 * tied LM head's view of the embedding table) pass gradients back to these parameters. Optimizer
 * updates are in place, which those views see.
 */
public final class TrainableBase implements AutoCloseable {

    private final LlamaModel model;
    private final Map<String, NDArray> parameters; // checkpoint name -> tensor in checkpoint layout

    private TrainableBase(LlamaModel model, Map<String, NDArray> parameters) {
        this.model = model;
        this.parameters = Collections.unmodifiableMap(parameters);
    }

    /** The deterministic initial weights of {@code config}, trainable. */
    public static TrainableBase initial(LlamaConfig config) {
        SyntheticWeights init = new SyntheticWeights(config);
        NDManager manager = DjlRuntime.newManager();
        try {
            Map<String, NDArray> params = new LinkedHashMap<>();
            for (String name : init.names()) {
                NDArray p = init.load(name, manager); // checkpoint shape, e.g. (out, in) or (D)
                p.setRequiresGradient(true);
                params.put(name, p);
            }
            DjlRuntime.trainingMode();
            LlamaModel model;
            try {
                model = LlamaAssembler.assemble(config, new Parameters(params), manager);
            } finally {
                DjlRuntime.inferenceMode();
            }
            return new TrainableBase(model, params);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public LlamaModel model() {
        return model;
    }

    /** Parameters by checkpoint name, in checkpoint order (the optimizer and the writer use this). */
    public Map<String, NDArray> parameters() {
        return parameters;
    }

    /** Number of scalar weights. */
    public long parameterCount() {
        return parameters.values().stream().mapToLong(NDArray::size).sum();
    }

    /** Hands the assembler the parameter arrays themselves rather than copies. */
    private record Parameters(Map<String, NDArray> byName) implements TensorSource {
        @Override
        public String describe() {
            return "trainable synthetic weights";
        }

        @Override
        public Optional<long[]> shapeOf(String name) {
            return Optional.ofNullable(byName.get(name)).map(p -> p.getShape().getShape());
        }

        @Override
        public NDArray load(String name, NDManager manager) {
            return byName.get(name);
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
