package io.moelora.core.eval;

import io.moelora.core.data.InstructionExample;

/**
 * One record of an LLM-Adapters suite file, field for field: what {@code test.json} holds and what the
 * synthetic generators write. Gold is {@code answer}; {@code output} is a rationale or a training
 * target and never gold (the math suites' rationales are often wrong).
 */
public record SuiteExample(String instruction, String input, String output, String answer) {

    public SuiteExample {
        if (instruction == null || answer == null) {
            throw new IllegalArgumentException("instruction and answer are required strings");
        }
        input = input == null ? "" : input;
        output = output == null ? "" : output;
    }

    /** The record as a training example (the answer is implied by the output). */
    public InstructionExample toInstructionExample() {
        return new InstructionExample(instruction, input, output);
    }
}
