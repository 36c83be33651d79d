package io.moelora.core.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A seeded, fixed subset of a suite's items: the same seed picks the same items every time, so
 * continuous evaluation on a limit stays comparable across checkpoints.
 */
public final class ItemSubset {

    private ItemSubset() {}

    /** Original indices of the chosen items, ascending; all of them when {@code limit} is null or large. */
    public static List<Integer> choose(int size, Integer limit, long seed) {
        List<Integer> all = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            all.add(i);
        }
        if (limit == null || limit >= size) {
            return all;
        }
        Collections.shuffle(all, new Random(seed));
        List<Integer> chosen = new ArrayList<>(all.subList(0, limit));
        Collections.sort(chosen);
        return chosen;
    }

    /** The chosen items renumbered 0..n-1 (scoring indexes by position); {@code chosen} maps back. */
    public static Suite of(Suite suite, List<Integer> chosen) {
        List<SuiteItem> items = new ArrayList<>(chosen.size());
        for (int i = 0; i < chosen.size(); i++) {
            SuiteItem original = suite.items().get(chosen.get(i));
            items.add(new SuiteItem(i, original.instruction(), original.input(), original.gold()));
        }
        return new Suite(suite.spec(), items);
    }
}
