package io.moelora.gateway.board;

import io.moelora.events.CheckpointPublished;
import io.moelora.events.EvalResult;
import java.util.List;
import java.util.Map;

/**
 * One checkpoint of a job's history with its evaluation.
 *
 * @param checkpoint the checkpoint as the trainer published it
 * @param scores     suite to accuracy (percent)
 * @param averages   {@code overall}, {@code math}, {@code commonsense} means, for those it has scores for
 * @param results    one result per suite, by suite name
 */
public record CheckpointView(CheckpointPublished checkpoint, Map<String, Double> scores,
    Map<String, Double> averages, List<EvalResult> results) {}
