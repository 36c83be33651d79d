package io.moelora.core.eval;

import java.util.List;
import java.util.Random;

/**
 * {@code synthetic-addsub}: one-step addition and subtraction word problems in the style of AddSub,
 * with small whole numbers (operands 1–20, answers 1–40), e.g. "Tom has 3 apples. He buys 4 more. How
 * many apples does he have now?" → "7". The output is a one-line rationale ending
 * "The answer is 7", as in LLM-Adapters' math training data, so the reference extractor reads it.
 */
final class AddSubProblems implements ProblemGenerator {

    private record Person(String name, String pronoun, String possessive) {}

    private static final List<Person> PEOPLE = List.of(
            new Person("Tom", "he", "his"), new Person("Mary", "she", "her"), new Person("Sam", "he", "his"),
            new Person("Lucy", "she", "her"), new Person("Ben", "he", "his"), new Person("Emma", "she", "her"),
            new Person("Jack", "he", "his"), new Person("Mia", "she", "her"), new Person("Dan", "he", "his"),
            new Person("Sara", "she", "her"), new Person("Fred", "he", "his"), new Person("Joan", "she", "her"));
    private static final List<String> THINGS = List.of("apples", "pencils", "marbles", "stickers", "books", "cookies",
            "balloons", "seashells", "cards", "oranges", "crayons", "stamps");

    @Override
    public SuiteExample next(Random random) {
        Person p = PEOPLE.get(random.nextInt(PEOPLE.size()));
        String things = THINGS.get(random.nextInt(THINGS.size()));
        int template = random.nextInt(5);
        boolean subtract = template == 1 || template == 4;
        int a = subtract ? 2 + random.nextInt(19) : 1 + random.nextInt(20);
        int b = subtract ? 1 + random.nextInt(a - 1) : 1 + random.nextInt(20);
        int answer = subtract ? a - b : a + b;
        String he = capitalize(p.pronoun());
        String question = switch (template) {
            case 0 -> p.name() + " has " + a + " " + things + ". " + he + " buys " + b + " more. How many " + things
                    + " does " + p.pronoun() + " have now?";
            case 1 -> p.name() + " had " + a + " " + things + ". " + he + " gave " + b + " " + things
                    + " to a friend. How many " + things + " does " + p.pronoun() + " have left?";
            case 2 -> "There are " + a + " " + things + " in the box. " + p.name() + " puts " + b + " more " + things
                    + " in the box. How many " + things + " are in the box now?";
            case 3 -> p.name() + " found " + a + " " + things + " on Monday and " + b + " " + things
                    + " on Tuesday. How many " + things + " did " + p.pronoun() + " find in all?";
            default -> p.name() + " had " + a + " " + things + ". " + he + " lost " + b + " of them. How many " + things
                    + " does " + p.pronoun() + " have now?";
        };
        String output = (subtract
                ? p.name() + " starts with " + a + " " + things + " and " + b + " of them are gone, so " + a + " - " + b
                : "We add the " + things + " together, so " + a + " + " + b)
                + " = " + answer + ". The answer is " + answer;
        return new SuiteExample(question, "", output, Integer.toString(answer));
    }

    private static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
