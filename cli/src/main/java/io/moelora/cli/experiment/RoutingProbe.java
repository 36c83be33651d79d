package io.moelora.cli.experiment;

import ai.djl.ndarray.NDManager;
import io.moelora.core.adapter.AdapterPass;
import io.moelora.core.adapter.AdapterSet;
import io.moelora.core.adapter.RoutingStats;
import io.moelora.core.data.InstructionExample;
import io.moelora.core.io.LoadedModel;
import io.moelora.core.model.TokenBatch;
import io.moelora.core.train.ExampleEncoder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a trained MoELoRA adapter routes each task's tokens: teacher-forced forward passes (eval mode,
 * no dropout) over each task's probe examples in the training format, counting the top-1 expert and
 * the gate entropy per module over that task's tokens.
 *
 * <p>Tokens of the prompt template that every probe sequence starts with are not counted: under causal
 * attention they have the same hidden state in every example, so they would add one identical block to
 * every task's histogram and hide the differences the analysis is for.
 */
final class RoutingProbe {

    private RoutingProbe() {}

    /**
     * @param byTask probe examples per task, in report order
     * @param cutoff tokens per sequence at most
     * @param batch sequences per forward call
     * @return one entry per adapted module, in forward order; empty for adapters without a router
     */
    static List<ModuleRouting> measure(LoadedModel base, AdapterSet adapters, Map<String, List<InstructionExample>> byTask,
            int cutoff, int batch) {
        ExampleEncoder encoder = new ExampleEncoder(base.tokenizer(), cutoff, true, base.model().config().eosId());
        Map<String, List<int[]>> encoded = new LinkedHashMap<>();
        byTask.forEach((task, examples) -> encoded.put(task, examples.stream().map(e -> encoder.encode(e).ids()).toList()));
        int skip = sharedPrefix(encoded.values().stream().flatMap(List::stream).toList());
        Map<String, long[]> counts = new LinkedHashMap<>(); // "layer.module|task" -> (N)
        Map<String, double[]> entropy = new LinkedHashMap<>(); // "layer.module|task" -> {sum of entropy × tokens}
        List<String> modules = new ArrayList<>();
        for (Map.Entry<String, List<int[]>> e : encoded.entrySet()) {
            List<int[]> seqs = e.getValue();
            for (int from = 0; from < seqs.size(); from += batch) {
                TokenBatch tokens = TokenBatch.leftPadded(seqs.subList(from, Math.min(seqs.size(), from + batch)), 0);
                try (NDManager m = base.model().weightsManager().newSubManager()) {
                    AdapterPass pass = adapters.pass(m, counted(tokens, skip), false, true, 0);
                    base.model().logits(m, tokens, null, pass).close(); // (B, T, V): only the routing is wanted
                    for (RoutingStats r : pass.routing()) {
                        if (!modules.contains(r.key())) {
                            modules.add(r.key());
                        }
                        String k = r.key() + "|" + e.getKey();
                        long[] c = counts.computeIfAbsent(k, x -> new long[r.top1Counts().length]);
                        for (int i = 0; i < c.length; i++) {
                            c[i] += r.top1Counts()[i];
                        }
                        entropy.computeIfAbsent(k, x -> new double[1])[0] += r.meanGateEntropy() * r.tokens();
                    }
                }
            }
        }
        List<ModuleRouting> out = new ArrayList<>();
        for (String module : modules) {
            Map<String, long[]> top1 = new LinkedHashMap<>();
            Map<String, Double> gate = new LinkedHashMap<>();
            for (String task : encoded.keySet()) {
                long[] c = counts.get(module + "|" + task);
                long n = 0;
                for (long v : c) {
                    n += v;
                }
                top1.put(task, c);
                gate.put(task, n == 0 ? 0 : entropy.get(module + "|" + task)[0] / n);
            }
            out.add(new ModuleRouting(module, top1, gate));
        }
        return out;
    }

    /** Tokens every sequence starts with, keeping at least the last token of the shortest one. */
    static int sharedPrefix(List<int[]> seqs) {
        int min = seqs.stream().mapToInt(s -> s.length).min().orElse(0);
        int p = 0;
        while (p < min - 1) {
            int t = seqs.get(0)[p];
            int at = p;
            if (!seqs.stream().allMatch(s -> s[at] == t)) {
                break;
            }
            p++;
        }
        return p;
    }

    /** The batch with its first {@code skip} real tokens per row marked as not counted (ids unchanged). */
    private static TokenBatch counted(TokenBatch tokens, int skip) {
        boolean[][] valid = new boolean[tokens.batchSize()][];
        for (int b = 0; b < valid.length; b++) {
            boolean[] row = tokens.valid()[b].clone();
            int seen = 0;
            for (int t = 0; t < row.length; t++) {
                if (row[t] && seen++ < skip) {
                    row[t] = false;
                }
            }
            valid[b] = row;
        }
        return new TokenBatch(tokens.ids(), valid);
    }
}
