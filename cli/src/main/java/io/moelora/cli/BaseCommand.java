package io.moelora.cli;

import io.moelora.core.pretrain.PretrainOptions;
import io.moelora.core.pretrain.PretrainRecord;
import io.moelora.core.pretrain.TinyBase;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code moelora base}: build, or reuse, the pre-trained tiny base model directory. */
@Command(name = "base", mixinStandardHelpOptions = true,
        description = {"Make DIR hold the tiny base model: the builtin:tiny architecture pre-trained on the built-in"
                + " generic corpus, as a model directory (config.json, model.safetensors, byte tokenizer, pretrain.json).",
                "A directory already trained with the same settings is reused at once. Prints DIR on stdout."})
final class BaseCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "model directory to create or reuse, e.g. $MOELORA_STATE_DIR/models/tiny")
    Path out;

    @Option(names = "--steps", paramLabel = "N", description = "pre-training updates (default: ${DEFAULT-VALUE})")
    int steps = PretrainOptions.defaults().steps();

    @Option(names = "--force", description = "train again even when DIR already holds this base")
    boolean force;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PretrainOptions options = PretrainOptions.defaults().withSteps(steps);
        TinyBase.Result result = TinyBase.ensure(out, options, force, new PretrainProgressPrinter(err, options));
        PretrainRecord r = result.record();
        err.printf("%s %s: %d updates, corpus loss %.4f -> %.4f nats/byte%s%n", result.built() ? "wrote" : "reusing",
                result.dir(), r.options().steps(), r.initialLoss(), r.finalLoss(),
                result.built() ? String.format(" in %.0f s", r.seconds()) : "");
        spec.commandLine().getOut().println(result.dir());
        return 0;
    }
}
