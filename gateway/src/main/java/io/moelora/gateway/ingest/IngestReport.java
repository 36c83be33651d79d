package io.moelora.gateway.ingest;

import java.util.List;

/**
 * The reply to an examples upload.
 *
 * @param jobId    the job
 * @param accepted examples written to the training-examples topic (acknowledged by Kafka)
 * @param rejected items refused
 * @param rejects  the refused items with reasons, the first {@value ExampleIngest#LISTED_REJECTS}
 */
public record IngestReport(String jobId, int accepted, int rejected, List<Reject> rejects) {

  /**
   * One refused item.
   *
   * @param index     0-based position of the item in the body
   * @param line      1-based line where the item starts
   * @param exampleId its example id, when it got that far
   * @param field     the offending field (a JSON path, or {@code body})
   * @param reason    the rule it broke
   */
  public record Reject(int index, int line, String exampleId, String field, String reason) {}
}
