package io.moelora.core.eval;

import io.moelora.core.generate.AdapterProvider;
import io.moelora.core.generate.BeamSearch;
import io.moelora.core.generate.GreedyGenerator;
import io.moelora.core.io.LoadedModel;
import io.moelora.core.tokenizer.TextTokenizer;
import java.util.ArrayList;
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
        List<Generation> generations = new ArrayList<>(subset.size());
        long tokens = 0;
        for (int from = 0; from < subset.size(); from += settings.beams() == 1 ? settings.batch() : 1) {
            int to = Math.min(subset.size(), from + (settings.beams() == 1 ? settings.batch() : 1));
            List<int[]> prompts = new ArrayList<>();
            for (int i = from; i < to; i++) {
                prompts.add(tok.encode(subset.items().get(i).prompt(), true, false));
            }
            List<int[]> outputs = generate(prompts, budget);
            for (int i = from; i < to; i++) {
                int[] prompt = prompts.get(i - from);
                int[] out = outputs.get(i - from);
                tokens += out.length;
                // the decoded prompt plus continuation, as the reference decodes the whole sequence
                generations.add(new Generation(i, subset.items().get(i).prompt() + tok.decode(prompt[prompt.length - 1], out)));
            }
            progress.accept(to);
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
