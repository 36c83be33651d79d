package io.moelora.core.eval;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Built-in suites generated in code, for fast end-to-end runs on CPU and for tests without the shared
 * data: a model fine-tuned on a few hundred training items should move these scores within minutes.
 *
 * <ul>
 *   <li>{@value #ADDSUB}: numeric, AddSub-style one-step word problems with small numbers
 *       ({@link AddSubProblems}); outputs end "The answer is N".
 *   <li>{@value #CHOICE}: commonsense-style two-option questions labelled answer1/answer2
 *       ({@link ChoiceProblems}); outputs are "the correct answer is answerK".
 *   <li>{@value #TRUE_FALSE}: BoolQ-style true/false questions ({@link TrueFalseProblems}); outputs are
 *       "the correct answer is true|false".
 * </ul>
 *
 * <p>Items use the suite-file format ({@code instruction}, {@code input} "", {@code output},
 * {@code answer}). Everything is a function of the seed ({@link java.util.Random} is specified
 * bit for bit), and a larger count extends a smaller one. Test and training sets never share an
 * instruction, whatever the seeds: each instruction belongs to one split by a fixed hash of its text
 * (about one in five goes to test). Test items are distinct; training items may repeat.
 */
public final class SyntheticSuites {

    public static final String ADDSUB = "synthetic-addsub";
    public static final String CHOICE = "synthetic-choice";
    public static final String TRUE_FALSE = "synthetic-truefalse";
    /** Names of the suites that can be generated. */
    public static final List<String> NAMES = List.of(ADDSUB, CHOICE, TRUE_FALSE);
    /** The seed {@link SuiteLoader#load} uses for built-in suites. */
    public static final long DEFAULT_SEED = 1234L;

    private static final Map<String, ProblemGenerator> GENERATORS = Map.of(
            ADDSUB, new AddSubProblems(), CHOICE, new ChoiceProblems(), TRUE_FALSE, new TrueFalseProblems());
    private static final long TEST_SALT = 0x7E57L;
    private static final long TRAIN_SALT = 0x7A1L;
    private static final int STALE_LIMIT = 1_000_000;

    private SyntheticSuites() {}

    /** The test suite of a built-in spec, validated like a suite read from a file. */
    public static Suite test(SuiteSpec spec, long seed, int count) {
        return Suite.of(spec, testExamples(spec.name(), seed, count), spec.name() + " (seed " + seed + ")");
    }

    /** {@code count} distinct test items. */
    public static List<SuiteExample> testExamples(String suite, long seed, int count) {
        ProblemGenerator generator = generator(suite, count);
        Random random = new Random(seed ^ TEST_SALT);
        Set<String> seen = new LinkedHashSet<>();
        List<SuiteExample> out = new ArrayList<>(count);
        int stale = 0; // draws since the last new item; the problem space is finite
        while (out.size() < count) {
            if (stale++ > STALE_LIMIT) {
                throw new IllegalArgumentException(suite + ": could only generate " + out.size() + " distinct test items of "
                        + count + " requested");
            }
            SuiteExample e = generator.next(random);
            if (isTest(e.instruction()) && seen.add(e.instruction())) {
                out.add(e);
                stale = 0;
            }
        }
        return out;
    }

    /** {@code count} training items (repeats possible), none of which shares an instruction with any test item. */
    public static List<SuiteExample> trainingExamples(String suite, long seed, int count) {
        ProblemGenerator generator = generator(suite, count);
        Random random = new Random(seed ^ TRAIN_SALT);
        List<SuiteExample> out = new ArrayList<>(count);
        while (out.size() < count) {
            SuiteExample e = generator.next(random);
            if (!isTest(e.instruction())) {
                out.add(e);
            }
        }
        return out;
    }

    private static ProblemGenerator generator(String suite, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1, got " + count);
        }
        ProblemGenerator g = GENERATORS.get(suite);
        if (g == null) {
            throw new IllegalArgumentException("no generator for suite '" + suite + "'; generated suites: " + NAMES);
        }
        return g;
    }

    /** The split of an instruction: a fixed function of its text (String.hashCode is specified). */
    static boolean isTest(String instruction) {
        int h = instruction.hashCode() * 0x9E3779B9;
        return Math.floorMod(h ^ (h >>> 16), 5) == 0;
    }
}
