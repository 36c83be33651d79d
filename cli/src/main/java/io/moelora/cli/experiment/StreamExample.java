package io.moelora.cli.experiment;

import io.moelora.core.data.InstructionExample;

/**
 * One example of an experiment's stream.
 *
 * @param id stable id (the report records the sequence each run was fed, by id)
 * @param task the example's task, e.g. the synthetic suite it was drawn from; routing is analysed per task
 * @param example the instruction, input and output to train on
 */
record StreamExample(String id, String task, InstructionExample example) {}
