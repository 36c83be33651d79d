/**
 * Evaluation on the LLM-Adapters math and commonsense suites, byte for byte as docs/PROTOCOL.md
 * describes, so that scores compare with published LoRA and MoELoRA numbers.
 *
 * <p>The pieces: {@link io.moelora.core.eval.SuiteRegistry} (suites and groups as versioned data),
 * {@link io.moelora.core.eval.SuiteLoader} (strictly checked test files),
 * {@link io.moelora.core.eval.Scorer} (response cut, extraction, comparison) and
 * {@link io.moelora.core.eval.SyntheticSuites} (generated suites for quick runs). The extractors
 * live in {@code eval.extract}; improved ones are named variants reported beside the reference.
 */
package io.moelora.core.eval;
