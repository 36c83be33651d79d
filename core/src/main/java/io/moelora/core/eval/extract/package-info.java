/**
 * Answer extraction and judging, one small class per extractor, with the Python semantics the
 * reference scripts rely on ({@code str.strip}, {@code float()}, {@code repr(float)}, Unicode
 * {@code \d}) spelled out in {@link io.moelora.core.eval.extract.PythonText} and
 * {@link io.moelora.core.eval.extract.PythonFloat}.
 */
package io.moelora.core.eval.extract;
