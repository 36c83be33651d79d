/**
 * Pre-training of the project's own tiny base model, so the embedded default has a base that knows
 * some English before any adapter is trained on it.
 *
 * <p>The pieces: {@link io.moelora.core.pretrain.PretrainCorpus} (the built-in generic text, as a
 * byte-token stream with a digest), {@link io.moelora.core.pretrain.TrainableBase} (the deterministic
 * initial weights with gradients), {@link io.moelora.core.pretrain.BasePretrainer} (the loop),
 * {@link io.moelora.core.pretrain.BaseModelWriter} (an atomically written model directory) and
 * {@link io.moelora.core.pretrain.TinyBase} (build once, reuse after).
 */
package io.moelora.core.pretrain;
