package io.moelora.cli.experiment;

import java.util.List;

/**
 * The settings an experiment ran with, as the report's header states them.
 *
 * @param model the base model as given (a file, a directory or {@code builtin:tiny})
 * @param train the {@code --train} value
 * @param suites evaluated suites
 * @param steps optimizer updates per run
 * @param batch examples per update (the same for every recipe)
 * @param seeds the replicates
 * @param evalEvery evaluation interval in updates
 * @param limit items per suite (null: all)
 * @param decoding {@code greedy} or {@code beamK}
 * @param probeItems probe examples per task in the routing analysis
 * @param command the command line
 * @param machine processor, cores, Java and operating system (of this process: in pipeline mode the stack's
 *     services train and evaluate, maybe elsewhere)
 * @param mode {@code in-process} or {@code pipeline}
 */
record ExperimentSetup(String model, String train, List<String> suites, int steps, int batch, List<Long> seeds,
        int evalEvery, Integer limit, String decoding, int probeItems, String command, String machine, String mode) {}
