package io.moelora.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The registry data against docs/PROTOCOL.md, and name resolution. */
class SuiteRegistryTest {

    private final SuiteRegistry registry = SuiteRegistry.standard();

    private static final Map<String, Integer> PROTOCOL_COUNTS = Map.ofEntries(
            Map.entry("AddSub", 395), Map.entry("AQuA", 254), Map.entry("gsm8k", 1319), Map.entry("MultiArith", 600),
            Map.entry("SingleEq", 508), Map.entry("SVAMP", 1000), Map.entry("mawps", 238), Map.entry("boolq", 3270),
            Map.entry("piqa", 1838), Map.entry("social_i_qa", 1954), Map.entry("hellaswag", 10042),
            Map.entry("winogrande", 1267), Map.entry("ARC-Easy", 2376), Map.entry("ARC-Challenge", 1172),
            Map.entry("openbookqa", 500));

    @Test
    void listsTheFifteenProtocolSuitesWithTheirCounts() {
        List<SuiteSpec> all = registry.resolve("all");
        assertThat(all).hasSize(15);
        for (SuiteSpec s : all) {
            assertThat(s.expectedItems()).as(s.name()).isEqualTo(PROTOCOL_COUNTS.get(s.name()));
            assertThat(s.directory()).as(s.name()).isEqualTo(s.name());
            assertThat(s.builtin()).isFalse();
            assertThat(s.maxNewTokens()).as(s.name()).isEqualTo(s.family() == Family.MATH ? 256 : 32);
        }
        assertThat(registry.resolve("math")).extracting(SuiteSpec::name)
                .containsExactly("AddSub", "AQuA", "gsm8k", "MultiArith", "SingleEq", "SVAMP", "mawps");
        assertThat(registry.resolve("commonsense")).extracting(SuiteSpec::name).containsExactly("boolq", "piqa",
                "social_i_qa", "hellaswag", "winogrande", "ARC-Easy", "ARC-Challenge", "openbookqa");
    }

    @Test
    void extractorsFollowTheProtocol() {
        assertThat(registry.get("gsm8k").extractorNames()).containsExactly("numeric", "numeric-strict");
        assertThat(registry.get("AQuA").extractorNames()).containsExactly("aqua", "aqua-fixed");
        assertThat(registry.get("AQuA").labels()).containsExactly("A", "B", "C", "D", "E");
        assertThat(registry.get("boolq").extractor().alternation()).containsExactly("true", "false");
        assertThat(registry.get("piqa").extractor().alternation()).containsExactly("solution1", "solution2");
        assertThat(registry.get("hellaswag").extractor().alternation())
                .containsExactly("ending1", "ending2", "ending3", "ending4");
        assertThat(registry.get("winogrande").extractor().alternation()).containsExactly("option1", "option2");
        for (String s : List.of("social_i_qa", "ARC-Challenge", "ARC-Easy", "openbookqa")) {
            assertThat(registry.get(s).extractor().alternation()).as(s)
                    .containsExactly("answer1", "answer2", "answer3", "answer4", "answer5");
        }
        assertThat(registry.get("social_i_qa").labels()).containsExactly("answer1", "answer2", "answer3");
    }

    @Test
    void contaminatedSuitesCarryTheCaveat() {
        for (String s : List.of("AddSub", "MultiArith", "SingleEq")) {
            assertThat(registry.get(s).caveat()).as(s).contains("math_10k");
        }
        assertThat(registry.get("gsm8k").caveat()).isNull();
    }

    @Test
    void lookupIsCaseInsensitive() {
        assertThat(registry.get("GSM8K").name()).isEqualTo("gsm8k");
        assertThat(registry.get("arc-easy").name()).isEqualTo("ARC-Easy");
        assertThat(registry.resolve(" Math ")).hasSize(7);
    }

    @Test
    void resolveKeepsOrderAndDropsRepeats() {
        assertThat(registry.resolve("gsm8k,boolq")).extracting(SuiteSpec::name).containsExactly("gsm8k", "boolq");
        assertThat(registry.resolve("boolq, commonsense, gsm8k, BOOLQ")).extracting(SuiteSpec::name)
                .startsWith("boolq", "piqa").endsWith("openbookqa", "gsm8k").hasSize(9);
    }

    @Test
    void unknownNamesListValidSuitesAndGroups() {
        assertThatThrownBy(() -> registry.get("gsm9k")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown suite 'gsm9k'").hasMessageContaining("gsm8k")
                .hasMessageContaining("ARC-Challenge").hasMessageContaining("groups: math, commonsense, all");
        assertThatThrownBy(() -> registry.resolve("gsm8k,,boolq")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty suite name");
        assertThatThrownBy(() -> registry.resolve(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("valid suites");
    }

    @Test
    void builtinSuitesAreGeneratedNotRead() {
        SuiteSpec addsub = registry.get("synthetic-addsub");
        assertThat(addsub.builtin()).isTrue();
        assertThat(addsub.directory()).isNull();
        assertThat(addsub.family()).isEqualTo(Family.MATH);
        assertThat(registry.get("synthetic-choice").family()).isEqualTo(Family.COMMONSENSE);
        assertThat(registry.resolve("synthetic")).extracting(SuiteSpec::name)
                .containsExactly("synthetic-addsub", "synthetic-choice", "synthetic-truefalse");
    }

    @Test
    void extractorNotOfTheSuiteIsRejected() {
        assertThatThrownBy(() -> registry.get("boolq").grader("numeric")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not apply to suite boolq").hasMessageContaining("valid: commonsense");
    }

    @Test
    void badRegistryDataIsRejectedWithTheReason() {
        String suite = "{\"name\": \"x\", \"family\": \"math\", \"directory\": \"x\", \"extractor\": {\"name\": \"numeric\"},"
                + " \"gold\": \"label\", \"labels\": [\"A\"], \"maxNewTokens\": 256, \"version\": \"1\", \"expectedItems\": 1}";
        assertThatThrownBy(() -> SuiteRegistry.parse("{\"protocolVersion\": \"llm-adapters-1\", \"suites\": [" + suite + "]}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not fit gold kind label");
        assertThatThrownBy(() -> SuiteRegistry.parse("{\"protocolVersion\": \"other\", \"suites\": []}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("implements 'llm-adapters-1'");
    }

    @Test
    void protocolVersionIsDeclared() {
        assertThat(EvalProtocol.VERSION).isEqualTo("llm-adapters-1");
    }
}
