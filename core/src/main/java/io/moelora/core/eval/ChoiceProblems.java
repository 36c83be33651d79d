package io.moelora.core.eval;

import java.util.List;
import java.util.Random;

/**
 * {@code synthetic-choice}: two-option category questions in the commonsense suites' template, e.g.
 * "Please choose the correct answer to the question: Which of these is a fruit?\n\nAnswer1: hammer
 * Answer2: pear\n\nAnswer format: answer1/answer2" → "answer2", with the output
 * "the correct answer is answer2" exactly as in LLM-Adapters' commonsense training data.
 */
final class ChoiceProblems implements ProblemGenerator {

    record Category(String name, List<String> members) {}

    /** Shared with {@link TrueFalseProblems}: the same world, asked another way. */
    static final List<Category> CATEGORIES = List.of(
            new Category("fruit", List.of("apple", "banana", "cherry", "grape", "mango", "pear", "plum", "peach")),
            new Category("animal", List.of("dog", "horse", "rabbit", "tiger", "sheep", "goat", "camel", "zebra")),
            new Category("tool", List.of("hammer", "wrench", "saw", "chisel", "drill", "shovel", "rake", "pliers")),
            new Category("vehicle", List.of("bicycle", "truck", "bus", "tractor", "scooter", "train", "canoe", "taxi")),
            new Category("instrument", List.of("violin", "drum", "flute", "piano", "guitar", "trumpet", "harp", "cello")),
            new Category("color", List.of("red", "blue", "green", "yellow", "purple", "brown", "pink", "gray")),
            new Category("piece of clothing", List.of("shirt", "jacket", "sock", "scarf", "glove", "hat", "boot", "sweater")),
            new Category("piece of furniture", List.of("chair", "table", "sofa", "bed", "desk", "shelf", "stool", "cabinet")));
    private static final List<String> QUESTIONS = List.of("Which of these is %s?", "Which one of the following is %s?");

    @Override
    public SuiteExample next(Random random) {
        int right = random.nextInt(CATEGORIES.size());
        int wrong = (right + 1 + random.nextInt(CATEGORIES.size() - 1)) % CATEGORIES.size();
        Category category = CATEGORIES.get(right);
        String correct = category.members().get(random.nextInt(category.members().size()));
        List<String> others = CATEGORIES.get(wrong).members();
        String distractor = others.get(random.nextInt(others.size()));
        boolean first = random.nextBoolean();
        String question = String.format(QUESTIONS.get(random.nextInt(QUESTIONS.size())), article(category.name()));
        String instruction = "Please choose the correct answer to the question: " + question + "\n\nAnswer1: "
                + (first ? correct : distractor) + " Answer2: " + (first ? distractor : correct)
                + "\n\nAnswer format: answer1/answer2";
        String answer = first ? "answer1" : "answer2";
        return new SuiteExample(instruction, "", "the correct answer is " + answer, answer);
    }

    static String article(String noun) {
        return ("aeiou".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
    }
}
