package io.moelora.core.data;

/**
 * The LLM-Adapters (Alpaca-style) prompts, byte for byte. Training and evaluation prompts differ in
 * whitespace on purpose: published numbers were produced with exactly these strings.
 */
public final class Prompts {

    private static final String INDENT = "                "; // 16 spaces

    private Prompts() {}

    /** The training prompt followed by the response ({@code output}). */
    public static String training(InstructionExample e) {
        return trainingPrefix(e) + e.output();
    }

    /** The training prompt up to and including the indentation after "### Response:". */
    public static String trainingPrefix(InstructionExample e) {
        if (e.input().isEmpty()) {
            return "Below is an instruction that describes a task. Write a response that appropriately completes the request.  \n\n"
                    + INDENT + "### Instruction:\n" + INDENT + e.instruction() + "\n" + INDENT + "\n"
                    + INDENT + "### Response:\n" + INDENT;
        }
        return "Below is an instruction that describes a task, paired with an input that provides further context. "
                + "Write a response that appropriately completes the request.  \n\n"
                + INDENT + "### Instruction:\n" + INDENT + e.instruction() + "\n" + INDENT + "\n"
                + INDENT + "### Input:\n" + INDENT + e.input() + "\n" + INDENT + "\n"
                + INDENT + "### Response:\n" + INDENT;
    }

    /** The evaluation prompt (one space after "request.", truly empty lines). */
    public static String evaluation(String instruction, String input) {
        if (input == null || input.isEmpty()) {
            return "Below is an instruction that describes a task. Write a response that appropriately completes the request. \n\n"
                    + INDENT + "### Instruction:\n" + INDENT + instruction + "\n\n" + INDENT + "### Response:\n" + INDENT;
        }
        return "Below is an instruction that describes a task, paired with an input that provides further context. "
                + "Write a response that appropriately completes the request. \n\n"
                + INDENT + "### Instruction:\n" + INDENT + instruction + "\n\n"
                + INDENT + "### Input:\n" + INDENT + input + "\n\n"
                + INDENT + "### Response:\n" + INDENT;
    }
}
