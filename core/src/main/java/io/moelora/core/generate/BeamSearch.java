package io.moelora.core.generate;

import ai.djl.ndarray.NDManager;
import io.moelora.core.model.KvCache;
import io.moelora.core.model.LlamaModel;
import io.moelora.core.model.TokenBatch;
import io.moelora.core.runtime.DjlRuntime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Deterministic beam search (no sampling), as the reference evaluation decodes. Each step ranks every
 * (beam, token) continuation by summed log-probability (float32, ties to the lower beam then token),
 * walks the best 2K: a stop token among the first K ranks finishes a hypothesis (normalised score =
 * sum / length^lengthPenalty), other tokens fill the K new beams. Search ends when K hypotheses are
 * finished and no live beam's normalised score beats the worst of them, or after
 * {@code maxNewTokens}; the best of finished and live hypotheses wins (finished first on ties).
 * The same algorithm is implemented in {@code tools/beam_reference.py}, whose fixtures pin this one.
 */
public final class BeamSearch {

    /** Which length divides the summed log-probability. */
    public enum LengthMode {
        /** generated tokens, the stop token included (our default) */
        GENERATED,
        /** prompt plus generated tokens, as older reference code did */
        PROMPT_AND_GENERATED
    }

    /**
     * @param beams K
     * @param maxNewTokens generation budget
     * @param lengthPenalty exponent of the length normalisation (1.0 reference)
     */
    public record Settings(int beams, int maxNewTokens, double lengthPenalty, LengthMode lengthMode) {
        public Settings {
            if (beams < 1 || beams > 64) {
                throw new IllegalArgumentException("beams must be in [1, 64], got " + beams);
            }
            if (maxNewTokens < 0) {
                throw new IllegalArgumentException("max new tokens must be >= 0, got " + maxNewTokens);
            }
            if (!Double.isFinite(lengthPenalty)) {
                throw new IllegalArgumentException("length penalty must be finite, got " + lengthPenalty);
            }
        }
    }

    /** A candidate answer: tokens without the stop token, normalised score, whether a stop token ended it. */
    public record Hypothesis(int[] tokens, double score, boolean finished) {}

    private record Beam(int[] tokens, float sum) {}

    private record Candidate(int beam, int token, float score) {}

    private final LlamaModel model;
    private final Set<Integer> stopIds;
    private final AdapterProvider adapters;
    private final Settings settings;

    public BeamSearch(LlamaModel model, Set<Integer> stopIds, AdapterProvider adapters, Settings settings) {
        this.model = model;
        this.stopIds = Set.copyOf(stopIds);
        this.adapters = adapters;
        this.settings = settings;
    }

    /** The best hypothesis for {@code prompt} (non-empty, starting with BOS for llama-style models). */
    public Hypothesis search(int[] prompt) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("prompt is empty: at least a BOS token is needed");
        }
        int k = settings.beams();
        int steps = Math.min(settings.maxNewTokens(), Math.max(0, model.config().maxSeqLen() - prompt.length));
        List<Hypothesis> finished = new ArrayList<>();
        List<Beam> live = List.of(new Beam(new int[0], 0f));
        DjlRuntime.inferenceMode();
        try (NDManager call = model.weightsManager().newSubManager(); KvCache cache = model.newCache(call, 1)) {
            float[][] logp = forward(call, TokenBatch.leftPadded(List.of(prompt), 0), cache);
            for (int step = 0; step < steps; step++) {
                List<Candidate> ranked = rank(live, logp, 2 * k);
                List<Beam> next = new ArrayList<>(k);
                long[] parents = new long[k];
                for (int r = 0; r < ranked.size() && next.size() < k; r++) {
                    Candidate c = ranked.get(r);
                    int[] tokens = live.get(c.beam()).tokens();
                    if (stopIds.contains(c.token())) {
                        if (r < k) {
                            keepBest(finished, new Hypothesis(tokens, normalise(c.score(), tokens.length + 1, prompt.length), true), k);
                        }
                    } else {
                        parents[next.size()] = c.beam();
                        int[] grown = Arrays.copyOf(tokens, tokens.length + 1);
                        grown[tokens.length] = c.token();
                        next.add(new Beam(grown, c.score()));
                    }
                }
                live = next;
                if (finished.size() >= k && bestLive(live, prompt.length) <= finished.get(finished.size() - 1).score()) {
                    break;
                }
                if (step + 1 < steps) {
                    cache.reorder(Arrays.copyOf(parents, live.size()));
                    long[] column = live.stream().mapToLong(b -> b.tokens()[b.tokens().length - 1]).toArray();
                    logp = forward(call, TokenBatch.column(column), cache);
                }
            }
        }
        Hypothesis best = null;
        for (Hypothesis h : finished) {
            if (best == null || h.score() > best.score()) {
                best = h;
            }
        }
        for (Beam b : live) {
            Hypothesis h = new Hypothesis(b.tokens(), normalise(b.sum(), b.tokens().length, prompt.length), false);
            if (best == null || h.score() > best.score()) {
                best = h;
            }
        }
        return best == null ? new Hypothesis(new int[0], 0, false) : best;
    }

    /** Log-probabilities of the next token per row, float32. */
    private float[][] forward(NDManager call, TokenBatch batch, KvCache cache) {
        try (NDManager step = call.newSubManager()) {
            float[] flat = model.lastLogits(step, batch, cache, adapters.forCall(step, batch)).logSoftmax(-1).toFloatArray();
            int v = flat.length / batch.batchSize();
            float[][] out = new float[batch.batchSize()][];
            for (int b = 0; b < out.length; b++) {
                out[b] = Arrays.copyOfRange(flat, b * v, (b + 1) * v);
            }
            return out;
        }
    }

    /** The best {@code limit} continuations, by score, then lower beam, then lower token. */
    private static List<Candidate> rank(List<Beam> live, float[][] logp, int limit) {
        List<Candidate> all = new ArrayList<>();
        for (int b = 0; b < live.size(); b++) {
            float[] row = logp[b];
            // the global best `limit` lie within each beam's best `limit`
            for (int token : topTokens(row, limit)) {
                all.add(new Candidate(b, token, live.get(b).sum() + row[token]));
            }
        }
        all.sort(Comparator.comparingDouble((Candidate c) -> -c.score()).thenComparingInt(Candidate::beam)
                .thenComparingInt(Candidate::token));
        return all.subList(0, Math.min(limit, all.size()));
    }

    /** Indices of the {@code limit} largest values, best first, ties to the lower index (one pass). */
    static int[] topTokens(float[] row, int limit) {
        int n = Math.min(limit, row.length);
        int[] best = new int[n];
        int size = 0;
        for (int i = 0; i < row.length; i++) {
            if (size == n && row[i] <= row[best[n - 1]]) {
                continue; // not better than the current n-th (equal loses: lower index came first)
            }
            int at = size < n ? size++ : n - 1;
            while (at > 0 && row[best[at - 1]] < row[i]) {
                best[at] = best[at - 1];
                at--;
            }
            best[at] = i;
        }
        return best;
    }

    private double normalise(float sum, int generated, int promptLength) {
        int length = settings.lengthMode() == LengthMode.GENERATED ? generated : generated + promptLength;
        return sum / Math.pow(Math.max(1, length), settings.lengthPenalty());
    }

    private double bestLive(List<Beam> live, int promptLength) {
        double best = Double.NEGATIVE_INFINITY;
        for (Beam b : live) {
            best = Math.max(best, normalise(b.sum(), b.tokens().length, promptLength));
        }
        return best;
    }

    /** Inserts keeping the list sorted by score (earlier wins ties) and at most {@code k} long. */
    private static void keepBest(List<Hypothesis> finished, Hypothesis h, int k) {
        int at = 0;
        while (at < finished.size() && finished.get(at).score() >= h.score()) {
            at++;
        }
        finished.add(at, h);
        if (finished.size() > k) {
            finished.remove(finished.size() - 1);
        }
    }
}
