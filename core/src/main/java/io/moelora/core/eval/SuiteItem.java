package io.moelora.core.eval;

import io.moelora.core.data.Prompts;

/**
 * One scored item of a loaded suite.
 *
 * @param index position in the test file (0-based); predictions refer to items by this index
 * @param instruction the question, as in the file
 * @param input the context (empty in every LLM-Adapters suite)
 * @param gold the {@code answer} field, already checked against the suite's gold kind and labels
 */
public record SuiteItem(int index, String instruction, String input, String gold) {

    public SuiteItem {
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, got " + index);
        }
        if (instruction == null || gold == null) {
            throw new IllegalArgumentException("item " + index + ": instruction and gold are required");
        }
        input = input == null ? "" : input;
    }

    /** The evaluation prompt for this item, byte for byte as the reference builds it. */
    public String prompt() {
        return Prompts.evaluation(instruction, input);
    }
}
