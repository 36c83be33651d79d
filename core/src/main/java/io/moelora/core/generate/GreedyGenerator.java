package io.moelora.core.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.moelora.core.model.KvCache;
import io.moelora.core.model.LlamaModel;
import io.moelora.core.model.TokenBatch;
import io.moelora.core.runtime.DjlRuntime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Batched greedy decoding with a KV cache: prompts are left-padded and masked, each row stops at its
 * first stop id (which is not included in the output).
 */
public final class GreedyGenerator {

    private final LlamaModel model;
    private final Set<Integer> stopIds;
    private final AdapterProvider adapters;

    public GreedyGenerator(LlamaModel model, Set<Integer> stopIds) {
        this(model, stopIds, AdapterProvider.NONE);
    }

    public GreedyGenerator(LlamaModel model, Set<Integer> stopIds, AdapterProvider adapters) {
        this.model = model;
        this.stopIds = Set.copyOf(stopIds);
        this.adapters = adapters;
    }

    /**
     * @param prompts token ids per row, each non-empty (start with BOS for llama-style models)
     * @return the generated ids per row, at most {@code maxNewTokens} each
     */
    public List<int[]> generate(List<int[]> prompts, int maxNewTokens) {
        if (prompts.isEmpty()) {
            return List.of();
        }
        for (int i = 0; i < prompts.size(); i++) {
            if (prompts.get(i).length == 0) {
                throw new IllegalArgumentException("prompt " + i + " is empty: at least a BOS token is needed");
            }
        }
        // each row may grow to the model's context on its own: a long neighbour in the batch must not
        // shorten it (batched output equals one-by-one output)
        int limit = model.config().maxSeqLen();
        int rows = prompts.size();
        int[] budget = new int[rows];
        int steps = 0;
        for (int r = 0; r < rows; r++) {
            budget[r] = Math.min(maxNewTokens, Math.max(0, limit - prompts.get(r).length));
            steps = Math.max(steps, budget[r]);
        }
        DjlRuntime.inferenceMode();
        int[][] out = new int[rows][steps];
        int[] produced = new int[rows];
        boolean[] done = new boolean[rows];
        try (NDManager call = model.weightsManager().newSubManager();
                KvCache cache = model.newCache(call, rows)) {
            TokenBatch batch = TokenBatch.leftPadded(prompts, 0);
            for (int step = 0; step < steps; step++) {
                long[] next;
                try (NDManager stepManager = call.newSubManager()) {
                    NDArray logits = model.lastLogits(stepManager, batch, cache, adapters.forCall(stepManager, batch)); // (B, V)
                    next = logits.argMax(-1).toLongArray();
                }
                boolean all = true;
                for (int r = 0; r < rows; r++) {
                    if (!done[r] && (produced[r] >= budget[r] || stopIds.contains((int) next[r]))) {
                        done[r] = true;
                    }
                    if (!done[r]) {
                        out[r][produced[r]++] = (int) next[r];
                    }
                    all &= done[r];
                }
                if (all) {
                    break;
                }
                batch = TokenBatch.column(next);
            }
        }
        List<int[]> result = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            result.add(Arrays.copyOf(out[r], produced[r]));
        }
        return result;
    }
}
