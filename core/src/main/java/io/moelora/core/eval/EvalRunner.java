package io.moelora.core.eval;

import io.moelora.core.generate.AdapterProvider;
import io.moelora.core.generate.BeamSearch;
import io.moelora.core.generate.GreedyGenerator;
import io.moelora.core.io.LoadedModel;
import io.moelora.core.tokenizer.TextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Generates answers for a suite's items with the evaluation prompt (greedy in left-padded batches,
 * or beam search per item), adapters in eval mode, and scores them with the reference extractor and
 * its named alternatives.
 */
public final class EvalRunner {

    /** What one suite produced: scores per extractor (reference first) and the generations. */
    public record SuiteRun(List<SuiteScore> scores, List<Integer> originalIndices, long generatedTokens, double seconds) {}

    private final LoadedModel base;
    private final AdapterProvider adapters;
    private final EvalSettings settings;

    public EvalRunner(LoadedModel base, AdapterProvider adapters, EvalSettings settings) {
        if (base.tokenizer() == null) {
            throw new IllegalArgumentException("evaluation needs a tokenizer");
        }
        this.base = base;
        this.adapters = adapters;
        this.settings = settings;
    }

    /**
     * @param progress called with the number of items done so far
     */
    public SuiteRun run(Suite suite, IntConsumer progress) {
        long start = System.nanoTime();
        List<Integer> chosen = ItemSubset.choose(suite.size(), settings.limit(), settings.seed());
        Suite subset = ItemSubset.of(suite, chosen);
        TextTokenizer tok = base.tokenizer();
        int budget = settings.maxNewTokens() != null ? settings.maxNewTokens() : suite.spec().maxNewTokens();
        int n = subset.size();
        List<int[]> prompts = new ArrayList<>(n); // per item, in subset order
        for (int i = 0; i < n; i++) {
            prompts.add(tok.encode(subset.items().get(i).prompt(), true, false));
        }
        // greedy batches take items of similar prompt length, so little of a batch is padding; each
        // row's output does not depend on its neighbours (GreedyGenerator), only the speed does
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (settings.beams() == 1 && settings.batch() > 1) {
            Arrays.sort(order, Comparator.comparingInt((Integer i) -> prompts.get(i).length).thenComparingInt(i -> i));
        }
        int step = settings.beams() == 1 ? settings.batch() : 1;
        int[][] outputs = new int[n][];
        long tokens = 0;
        for (int from = 0; from < n; from += step) {
            int to = Math.min(n, from + step);
            List<int[]> batch = new ArrayList<>(to - from);
            for (int j = from; j < to; j++) {
                batch.add(prompts.get(order[j]));
            }
            List<int[]> generated = generate(batch, budget);
            for (int j = from; j < to; j++) {
                outputs[order[j]] = generated.get(j - from);
                tokens += generated.get(j - from).length;
            }
            progress.accept(to);
        }
        List<Generation> generations = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int[] prompt = prompts.get(i);
            // the decoded prompt plus continuation, as the reference decodes the whole sequence
            generations.add(new Generation(i, subset.items().get(i).prompt() + tok.decode(prompt[prompt.length - 1], outputs[i])));
        }
        List<SuiteScore> scores = Scorer.scoreAllExtractors(subset, generations).stream()
                .map(s -> remap(s, chosen)).toList();
        return new SuiteRun(scores, chosen, tokens, (System.nanoTime() - start) / 1e9);
    }

    private List<int[]> generate(List<int[]> prompts, int budget) {
        if (settings.beams() == 1) {
            return new GreedyGenerator(base.model(), base.stopIds(), adapters).generate(prompts, budget);
        }
        BeamSearch search = new BeamSearch(base.model(), base.stopIds(), adapters,
                new BeamSearch.Settings(settings.beams(), budget, settings.lengthPenalty(), settings.lengthMode()));
        return prompts.stream().map(p -> search.search(p).tokens()).toList();
    }

    /** Item indices back to the suite file's numbering. */
    private static SuiteScore remap(SuiteScore s, List<Integer> chosen) {
        List<ItemScore> items = s.items().stream().map(i -> new ItemScore(chosen.get(i.index()), i.response(),
                i.prediction(), i.gold(), i.correct())).toList();
        return new SuiteScore(s.suite(), s.family(), s.suiteVersion(), s.extractor(), s.protocolVersion(), s.n(),
                s.correct(), s.accuracy(), items);
    }
}
