package io.moelora.gateway.experiment;

import java.time.Instant;
import java.util.List;

/**
 * An experiment in the list of experiments.
 *
 * @param experiment   the experiment id
 * @param jobs         its jobs, by job id
 * @param examplesSeen the most training examples any of its jobs reported
 * @param updatedAt    time of the latest record about any of its jobs, or null
 */
public record ExperimentSummary(String experiment, List<String> jobs, long examplesSeen, Instant updatedAt) {}
