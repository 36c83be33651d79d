package io.moelora.cli;

import io.moelora.core.checkpoint.CheckpointException;
import io.moelora.core.model.ModelFormatException;
import io.moelora.core.train.TrainingDivergedException;
import picocli.CommandLine;

/**
 * Turns known failures into one clear line on stderr and exit code 2, without a stack trace; gateway
 * errors get their own codes (see {@link GatewayException}).
 */
final class CliErrors implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        if (e instanceof GatewayException g) {
            cmd.getErr().println("error: " + g.getMessage());
            return g.exitCode();
        }
        if (e instanceof ModelFormatException || e instanceof IllegalArgumentException
                || e instanceof CheckpointException || e instanceof io.moelora.events.EventFormatException || e instanceof TrainingDivergedException) {
            cmd.getErr().println("error: " + e.getMessage());
            return 2;
        }
        throw new RuntimeException(e);
    }
}
