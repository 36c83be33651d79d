package io.moelora.core.eval;

/**
 * The evaluation protocol this package implements (docs/PROTOCOL.md: LLM-Adapters prompts, response
 * cut, extractors and tolerance). Every score carries this version, so a number computed after a
 * protocol change is never silently compared with one computed before it.
 */
public final class EvalProtocol {

    /** Version of the protocol; the suite registry data must declare the same. */
    public static final String VERSION = "llm-adapters-1";

    private EvalProtocol() {}
}
