package io.moelora.cli.experiment;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code moelora experiment}: compare recipes side by side on the same example stream. */
@Command(name = "experiment", mixinStandardHelpOptions = true, subcommands = ExperimentRunCommand.class,
        description = "Compare recipes (e.g. LoRA vs MoELoRA with and without the contrastive loss) on the same examples.")
public final class ExperimentCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
