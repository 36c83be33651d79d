package io.moelora.gateway.service;

import io.moelora.events.JobSpec;

/**
 * What a job control request did.
 *
 * @param jobId  the job
 * @param action {@code complete} or {@code resume}
 * @param spec   the spec published to the jobs topic
 * @param detail what the trainer will do with it
 */
public record ControlOutcome(String jobId, String action, JobSpec spec, String detail) {}
