package io.moelora.core.data;

/**
 * One example in the LLM-Adapters format.
 *
 * @param instruction the task, non-empty
 * @param input optional context (empty in every LLM-Adapters suite)
 * @param output the response to learn (training) or the reference rationale (evaluation files)
 */
public record InstructionExample(String instruction, String input, String output) {

    public InstructionExample {
        if (instruction == null || instruction.isEmpty()) {
            throw new IllegalArgumentException("instruction must be a non-empty string");
        }
        input = input == null ? "" : input;
        output = output == null ? "" : output;
    }
}
