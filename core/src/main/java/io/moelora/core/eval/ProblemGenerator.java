package io.moelora.core.eval;

import java.util.Random;

/** Draws one synthetic problem; {@link SyntheticSuites} decides which split it belongs to. */
interface ProblemGenerator {

    /** A problem in the suite-file format, with a correct LLM-Adapters-style {@code output}. */
    SuiteExample next(Random random);
}
