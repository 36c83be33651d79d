package io.moelora.core.eval;

import java.util.Random;

/**
 * {@code synthetic-truefalse}: yes/no questions in BoolQ's template, e.g. "Please answer the following
 * question with true or false, question: is a pear a kind of fruit?\n\nAnswer format: true/false" →
 * "true", with the output "the correct answer is true" exactly as in LLM-Adapters' commonsense training
 * data. Three kinds, each true half of the time: category membership (the categories of
 * {@link ChoiceProblems}), comparing two numbers, and parity.
 */
final class TrueFalseProblems implements ProblemGenerator {

    /** Numbers drawn from 0..NUMBERS-1 (parity: 0..2·NUMBERS-1), enough for hundreds of distinct test items. */
    private static final int NUMBERS = 100;

    @Override
    public SuiteExample next(Random random) {
        boolean truth = random.nextBoolean();
        String question = switch (random.nextInt(3)) {
            case 0 -> membership(random, truth);
            case 1 -> comparison(random, truth);
            default -> parity(random, truth);
        };
        String instruction = "Please answer the following question with true or false, question: " + question
                + "?\n\nAnswer format: true/false";
        String answer = Boolean.toString(truth);
        return new SuiteExample(instruction, "", "the correct answer is " + answer, answer);
    }

    private static String membership(Random random, boolean truth) {
        int n = ChoiceProblems.CATEGORIES.size();
        int own = random.nextInt(n);
        int asked = truth ? own : (own + 1 + random.nextInt(n - 1)) % n;
        var members = ChoiceProblems.CATEGORIES.get(own).members();
        String item = members.get(random.nextInt(members.size()));
        return "is " + ChoiceProblems.article(item) + " a kind of " + ChoiceProblems.CATEGORIES.get(asked).name();
    }

    private static String comparison(Random random, boolean truth) {
        int a = random.nextInt(NUMBERS);
        int b = (a + 1 + random.nextInt(NUMBERS - 1)) % NUMBERS; // never equal, so exactly one of >, < holds
        boolean greater = random.nextBoolean();
        boolean holds = greater ? a > b : a < b;
        // Swap the operands when the drawn pair gives the other truth value.
        int left = holds == truth ? a : b;
        int right = holds == truth ? b : a;
        return "is " + left + (greater ? " greater than " : " less than ") + right;
    }

    private static String parity(Random random, boolean truth) {
        int k = random.nextInt(NUMBERS);
        boolean even = random.nextBoolean();
        int number = 2 * k + ((even == truth) ? 0 : 1);
        return "is " + number + (even ? " an even number" : " an odd number");
    }
}
