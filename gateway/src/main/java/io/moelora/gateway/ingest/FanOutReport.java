package io.moelora.gateway.ingest;

import java.util.List;

/**
 * The reply to an experiment's examples upload.
 *
 * @param experiment the experiment
 * @param jobs       the jobs each accepted example was written to, in the order they were written
 * @param accepted   examples written to every job (acknowledged by Kafka once per job)
 * @param rejected   items refused (written to no job)
 * @param rejects    the refused items with reasons, the first {@value ExampleIngest#LISTED_REJECTS}
 */
public record FanOutReport(String experiment, List<String> jobs, int accepted, int rejected,
    List<IngestReport.Reject> rejects) {}
