package io.moelora.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Test files are checked strictly; errors name the file, item and field. */
class SuiteLoaderTest {

    private static final SuiteRegistry REGISTRY = SuiteRegistry.standard();

    @TempDir
    Path dir;

    private Path write(String suiteDir, String json) throws IOException {
        Path d = Files.createDirectories(dir.resolve(suiteDir));
        return Files.writeString(d.resolve("test.json"), json);
    }

    @Test
    void loadsItemsInFileOrder() throws IOException {
        write("boolq", "[{\"instruction\": \"q0\", \"input\": \"\", \"output\": \"the correct answer is true\", \"answer\": \"true\"},"
                + " {\"instruction\": \"q1\", \"answer\": \"false\", \"extra\": 1}]");
        Suite suite = SuiteLoader.load(dir, REGISTRY.get("boolq"));
        assertThat(suite.items()).containsExactly(new SuiteItem(0, "q0", "", "true"), new SuiteItem(1, "q1", "", "false"));
        assertThat(suite.items().get(0).prompt()).contains("### Instruction:\n                q0\n\n");
    }

    @Test
    void builtinSuitesNeedNoDataDirectoryAndFileSuitesSayWhichOneIsMissing() {
        assertThat(SuiteLoader.load(null, REGISTRY.get("synthetic-addsub")).size()).isPositive();
        assertThatThrownBy(() -> SuiteLoader.load(null, REGISTRY.get("ARC-Easy")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("suite ARC-Easy is read from ARC-Easy/test.json in a data directory, and none is configured");
    }

    @Test
    void acceptsNumericGoldAsPythonFloatReadsIt() throws IOException {
        write("gsm8k", "[{\"instruction\": \"a\", \"answer\": \"576.0\"}, {\"instruction\": \"b\", \"answer\": \"0.6666666666666666\"},"
                + " {\"instruction\": \"c\", \"answer\": \"-4\"}]");
        assertThat(SuiteLoader.load(dir, REGISTRY.get("gsm8k")).size()).isEqualTo(3);
    }

    @Test
    void missingDirectoryNamesTheDirectory() {
        assertThatThrownBy(() -> SuiteLoader.load(dir, REGISTRY.get("ARC-Easy")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("suite ARC-Easy: directory").hasMessageContaining(dir.resolve("ARC-Easy").toString())
                .hasMessageContaining("not found");
    }

    @Test
    void missingFileIsNamed() throws IOException {
        Files.createDirectories(dir.resolve("piqa"));
        assertThatThrownBy(() -> SuiteLoader.load(dir, REGISTRY.get("piqa")))
                .hasMessageContaining(dir.resolve("piqa").resolve("test.json").toString()).hasMessageContaining("not found");
    }

    @Test
    void badJsonNamesTheFileAndLine() throws IOException {
        Path file = write("boolq", "[\n{\"instruction\": \"q\", \"answer\": \"true\"\n");
        assertThatThrownBy(() -> SuiteLoader.load(dir, REGISTRY.get("boolq")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("not valid JSON");
    }

    @Test
    void notAnArrayOrNotObjects() throws IOException {
        write("boolq", "{\"instruction\": \"q\"}");
        assertThatThrownBy(() -> SuiteLoader.load(dir, REGISTRY.get("boolq"))).hasMessageContaining("expected a JSON array");
        write("boolq", "[{\"instruction\": \"q\", \"answer\": \"true\"}, 3]");
        assertThatThrownBy(() -> SuiteLoader.load(dir, REGISTRY.get("boolq"))).hasMessageContaining("item 1 is not an object");
        write("boolq", "[]");
        assertThatThrownBy(() -> SuiteLoader.load(dir, REGISTRY.get("boolq"))).hasMessageContaining("no items");
    }

    @Test
    void wrongFieldTypesNameItemAndField() throws IOException {
        write("boolq", "[{\"instruction\": \"q\", \"answer\": \"true\"}, {\"instruction\": \"q\", \"answer\": true}]");
        assertThatThrownBy(() -> SuiteLoader.load(dir, REGISTRY.get("boolq")))
                .hasMessageContaining("item 1: field 'answer' must be a string, got boolean");
        write("boolq", "[{\"instruction\": 5, \"answer\": \"true\"}]");
        assertThatThrownBy(() -> SuiteLoader.load(dir, REGISTRY.get("boolq")))
                .hasMessageContaining("item 0: field 'instruction' must be a string, got number");
        write("boolq", "[{\"instruction\": \"q\", \"input\": null, \"answer\": \"true\"}]");
        assertThatThrownBy(() -> SuiteLoader.load(dir, REGISTRY.get("boolq")))
                .hasMessageContaining("item 0: field 'input' must be a string, got null");
        write("boolq", "[{\"instruction\": \"q\", \"output\": [], \"answer\": \"true\"}]");
        assertThatThrownBy(() -> SuiteLoader.load(dir, REGISTRY.get("boolq")))
                .hasMessageContaining("item 0: field 'output' must be a string, got array");
        write("boolq", "[{\"instruction\": \"q\"}]");
        assertThatThrownBy(() -> SuiteLoader.load(dir, REGISTRY.get("boolq")))
                .hasMessageContaining("item 0: missing field 'answer'");
    }

    @Test
    void labelsOutsideTheSuiteSetAreRejected() throws IOException {
        Path file = write("social_i_qa", "[{\"instruction\": \"q\", \"answer\": \"answer3\"}, {\"instruction\": \"q\", \"answer\": \"answer4\"}]");
        assertThatThrownBy(() -> SuiteLoader.load(dir, REGISTRY.get("social_i_qa")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("item 1: field 'answer': 'answer4' is not a label of suite social_i_qa")
                .hasMessageContaining("allowed: answer1, answer2, answer3");
        write("AQuA", "[{\"instruction\": \"q\", \"answer\": \"a\"}]");
        assertThatThrownBy(() -> SuiteLoader.load(dir, REGISTRY.get("AQuA"))).hasMessageContaining("'a' is not a label of suite AQuA");
        write("boolq", "[{\"instruction\": \"q\", \"answer\": \"True\"}]");
        assertThatThrownBy(() -> SuiteLoader.load(dir, REGISTRY.get("boolq"))).hasMessageContaining("'True' is not a label");
    }

    @Test
    void numericGoldMustParse() throws IOException {
        write("AddSub", "[{\"instruction\": \"q\", \"answer\": \"4\"}, {\"instruction\": \"q\", \"answer\": \"1,000\"}]");
        assertThatThrownBy(() -> SuiteLoader.load(dir, REGISTRY.get("AddSub")))
                .hasMessageContaining("item 1: field 'answer': '1,000' is not a number");
        write("AddSub", "[{\"instruction\": \"q\", \"answer\": \"inf\"}]");
        assertThatThrownBy(() -> SuiteLoader.load(dir, REGISTRY.get("AddSub")))
                .hasMessageContaining("item 0: field 'answer': 'inf' is not a finite number");
    }

    @Test
    void builtinSuitesAreGenerated() {
        Suite suite = SuiteLoader.load(dir, REGISTRY.get("synthetic-addsub"));
        assertThat(suite.size()).isEqualTo(REGISTRY.get("synthetic-addsub").expectedItems());
    }
}
