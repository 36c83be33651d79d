package io.moelora.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code moelora} command line. Services and the broker are started by the {@code moelora} script. */
@Command(
        name = "moelora",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "MoELoRA Streams: continuous MoELoRA fine-tuning from Kafka event streams.",
        subcommands = {BaseCommand.class, GenerateCommand.class, TrainCommand.class, LossCommand.class, EvalCommand.class, ScoreCommand.class, PushCommand.class, SubmitCommand.class, WatchCommand.class, JobsCommand.class, FollowCommand.class, io.moelora.cli.experiment.ExperimentCommand.class, CommandLine.HelpCommand.class})
public final class MoeloraCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (tests call this instead of main). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /**
     * The command line with this tool's error handling, for callers in other modules (the end-to-end
     * tests) that give each run its own out and err writers instead of swapping System.out.
     */
    public static CommandLine commandLine() {
        return new CommandLine(new MoeloraCli()).setExecutionExceptionHandler(new CliErrors());
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
