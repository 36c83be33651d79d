package io.moelora.trainer.train;

import io.moelora.core.train.TokenizedExample;
import org.apache.kafka.common.TopicPartition;

/** An accepted example waiting for its update, with where it came from. */
record BufferedExample(TopicPartition partition, long offset, String exampleId, TokenizedExample tokens) {}
