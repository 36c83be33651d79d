package io.moelora.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The generated suites: deterministic, well-formed, disjoint from their training sets, and scorable. */
class SyntheticSuitesTest {

    private static final SuiteRegistry REGISTRY = SuiteRegistry.standard();

    @Test
    void sameSeedSameItemsOtherSeedOtherItems() {
        for (String name : SyntheticSuites.NAMES) {
            assertThat(SyntheticSuites.testExamples(name, 7, 50)).isEqualTo(SyntheticSuites.testExamples(name, 7, 50));
            assertThat(SyntheticSuites.trainingExamples(name, 7, 50)).isEqualTo(SyntheticSuites.trainingExamples(name, 7, 50));
            assertThat(SyntheticSuites.testExamples(name, 8, 50)).isNotEqualTo(SyntheticSuites.testExamples(name, 7, 50));
            // a larger set extends a smaller one
            assertThat(SyntheticSuites.testExamples(name, 7, 80)).startsWith(
                    SyntheticSuites.testExamples(name, 7, 50).toArray(SuiteExample[]::new));
        }
    }

    @Test
    void addsubItemsAreSmallWordProblemsWithCorrectAnswers() {
        List<SuiteExample> items = SyntheticSuites.testExamples(SyntheticSuites.ADDSUB, 1, 200);
        for (SuiteExample e : items) {
            assertThat(e.input()).isEmpty();
            assertThat(e.instruction()).endsWith("?");
            int answer = Integer.parseInt(e.answer());
            assertThat(answer).isBetween(1, 40);
            assertThat(e.output()).endsWith("The answer is " + answer);
            List<Integer> numbers = Pattern.compile("\\d+").matcher(e.instruction()).results()
                    .map(m -> Integer.parseInt(m.group())).toList();
            assertThat(numbers).hasSize(2);
            assertThat(answer).isIn(numbers.get(0) + numbers.get(1), numbers.get(0) - numbers.get(1));
        }
        assertThat(items.stream().map(SuiteExample::instruction).distinct()).hasSize(200);
    }

    @Test
    void choiceItemsUseTheCommonsenseTemplate() {
        for (SuiteExample e : SyntheticSuites.testExamples(SyntheticSuites.CHOICE, 1, 100)) {
            assertThat(e.instruction()).startsWith("Please choose the correct answer to the question: ")
                    .contains("\n\nAnswer1: ").contains(" Answer2: ").endsWith("\n\nAnswer format: answer1/answer2");
            assertThat(e.answer()).isIn("answer1", "answer2");
            assertThat(e.output()).isEqualTo("the correct answer is " + e.answer());
        }
        assertThat(SyntheticSuites.testExamples(SyntheticSuites.CHOICE, 1, 100)).extracting(SuiteExample::answer)
                .contains("answer1", "answer2");
    }

    @Test
    void trueFalseItemsUseTheBoolqTemplateAndTellTheTruth() {
        List<SuiteExample> items = SyntheticSuites.testExamples(SyntheticSuites.TRUE_FALSE, 1, 200);
        Pattern template = Pattern.compile(
                "Please answer the following question with true or false, question: (.*)\\?\n\nAnswer format: true/false");
        Pattern comparison = Pattern.compile("is (\\d+) (greater|less) than (\\d+)");
        Pattern parity = Pattern.compile("is (\\d+) an (even|odd) number");
        Pattern membership = Pattern.compile("is an? (.+) a kind of (.+)");
        for (SuiteExample e : items) {
            var m = template.matcher(e.instruction());
            assertThat(m.matches()).as(e.instruction()).isTrue();
            assertThat(e.output()).isEqualTo("the correct answer is " + e.answer());
            String q = m.group(1);
            boolean truth;
            var c = comparison.matcher(q);
            var p = parity.matcher(q);
            var k = membership.matcher(q);
            if (c.matches()) {
                int a = Integer.parseInt(c.group(1));
                int b = Integer.parseInt(c.group(3));
                truth = c.group(2).equals("greater") ? a > b : a < b;
            } else if (p.matches()) {
                truth = (Integer.parseInt(p.group(1)) % 2 == 0) == p.group(2).equals("even");
            } else {
                assertThat(k.matches()).as(q).isTrue();
                truth = ChoiceProblems.CATEGORIES.stream().filter(cat -> cat.name().equals(k.group(2))).findFirst()
                        .orElseThrow().members().contains(k.group(1));
            }
            assertThat(e.answer()).as(q).isEqualTo(Boolean.toString(truth));
        }
        long trues = items.stream().filter(e -> e.answer().equals("true")).count();
        assertThat(trues).as("about half are true").isBetween(70L, 130L);
    }

    @Test
    void trainingNeverSharesAnInstructionWithTest() {
        for (String name : SyntheticSuites.NAMES) {
            Set<String> test = SyntheticSuites.testExamples(name, 3, 500).stream().map(SuiteExample::instruction)
                    .collect(Collectors.toSet());
            Set<String> train = new HashSet<>();
            for (long seed = 0; seed < 3; seed++) {
                SyntheticSuites.trainingExamples(name, seed, 2000).forEach(e -> train.add(e.instruction()));
            }
            assertThat(train).as(name).doesNotContainAnyElementsOf(test);
        }
    }

    @Test
    void trainingOutputsAreInTheLlmAdaptersStyle() {
        assertThat(SyntheticSuites.trainingExamples(SyntheticSuites.ADDSUB, 1, 20))
                .allSatisfy(e -> assertThat(e.output()).endsWith("The answer is " + e.answer()));
        assertThat(SyntheticSuites.trainingExamples(SyntheticSuites.CHOICE, 1, 20))
                .allSatisfy(e -> assertThat(e.output()).isEqualTo("the correct answer is " + e.answer()));
        assertThat(SyntheticSuites.trainingExamples(SyntheticSuites.CHOICE, 1, 1).get(0).toInstructionExample().output())
                .startsWith("the correct answer is answer");
    }

    @Test
    void goldDerivedResponsesScoreFullMarks() {
        for (String name : SyntheticSuites.NAMES) {
            SuiteSpec spec = REGISTRY.get(name);
            Suite suite = SyntheticSuites.test(spec, SyntheticSuites.DEFAULT_SEED, spec.expectedItems());
            List<Generation> fromGold = suite.items().stream().map(i -> new Generation(i.index(), i.prompt()
                    + (spec.gold() == GoldKind.NUMBER ? "The answer is " : "the correct answer is ") + i.gold())).toList();
            List<SuiteExample> examples = SyntheticSuites.testExamples(name, SyntheticSuites.DEFAULT_SEED, spec.expectedItems());
            List<Generation> fromOutputs = suite.items().stream().map(i -> new Generation(i.index(),
                    i.prompt() + examples.get(i.index()).output() + "</s>")).toList();
            for (String extractor : spec.extractorNames()) {
                assertThat(Scorer.score(suite, fromGold, extractor).accuracy()).as(name + " " + extractor).isEqualTo(100.0);
                assertThat(Scorer.score(suite, fromOutputs, extractor).accuracy()).as(name + " " + extractor).isEqualTo(100.0);
            }
        }
    }

    @Test
    void unknownGeneratorOrBadCountIsRejected() {
        assertThatThrownBy(() -> SyntheticSuites.testExamples("gsm8k", 1, 10)).hasMessageContaining("no generator for suite 'gsm8k'");
        assertThatThrownBy(() -> SyntheticSuites.testExamples(SyntheticSuites.ADDSUB, 1, 0)).hasMessageContaining("count must be >= 1");
        assertThatThrownBy(() -> SyntheticSuites.testExamples(SyntheticSuites.CHOICE, 1, 1_000_000))
                .hasMessageContaining("could only generate");
    }
}
