package io.moelora.cli;

import io.moelora.core.adapter.AdapterConfig;
import io.moelora.core.adapter.AdapterSet;
import io.moelora.core.checkpoint.CheckpointReader;
import io.moelora.core.checkpoint.CheckpointWriter;
import io.moelora.core.checkpoint.LoadedCheckpoint;
import io.moelora.core.checkpoint.Manifest;
import io.moelora.core.data.ExampleFile;
import io.moelora.core.data.InstructionExample;
import io.moelora.core.io.LoadedModel;
import io.moelora.core.train.AdapterTrainer;
import io.moelora.core.train.EpochRunner;
import io.moelora.core.train.ExampleEncoder;
import io.moelora.core.train.StepResult;
import io.moelora.core.train.TokenizedExample;
import io.moelora.core.train.TrainerListener;
import io.moelora.core.train.TrainingOptions;
import io.moelora.core.train.TrainingProgress;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code moelora train}: fine-tune a LoRA or MoELoRA adapter on an LLM-Adapters JSON file. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a LoRA/MoELoRA adapter on a JSON file of {instruction, input, output} examples.")
final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @ArgGroup(exclusive = false, heading = "Adapter%n")
    AdapterOptions adapter = new AdapterOptions();

    @Option(names = "--data", required = true, description = "training examples (JSON array)")
    Path data;

    @Option(names = "--out", required = true, description = "directory for checkpoints (step-NNNNNN)")
    Path out;

    @Option(names = "--resume", description = "continue from this checkpoint (its adapter settings win)")
    Path resume;

    @Option(names = "--lr", defaultValue = "3e-4") double lr;
    @Option(names = "--warmup", defaultValue = "100") int warmup;
    @Option(names = "--weight-decay", defaultValue = "0") double weightDecay;
    @Option(names = "--batch", defaultValue = "16", description = "examples per update (default: ${DEFAULT-VALUE})") int batch;
    @Option(names = "--micro-batch", defaultValue = "4") int microBatch;
    @Option(names = "--cutoff", defaultValue = "256") int cutoff;
    @Option(names = "--epochs", defaultValue = "1") int epochs;
    @Option(names = "--max-steps", description = "stop after this many updates") Integer maxSteps;
    @Option(names = "--seed", defaultValue = "42") long seed;
    @Option(names = "--train-on-inputs", defaultValue = "true", arity = "1") boolean trainOnInputs;
    @Option(names = "--max-grad-norm", defaultValue = "1.0") double maxGradNorm;
    @Option(names = "--save-every", defaultValue = "0", description = "checkpoint every N updates (0: only at the end)") int saveEvery;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (batch % microBatch != 0) {
            throw new IllegalArgumentException("--batch " + batch + " must be a multiple of --micro-batch " + microBatch);
        }
        TrainingOptions options = new TrainingOptions(lr, warmup, weightDecay, microBatch, batch / microBatch, cutoff,
                trainOnInputs, maxGradNorm, 5, seed);
        List<InstructionExample> examples = ExampleFile.read(data);
        try (LoadedModel base = model.loadWithTokenizer()) {
            ExampleEncoder encoder = new ExampleEncoder(base.tokenizer(), cutoff, trainOnInputs, base.model().config().eosId());
            List<TokenizedExample> encoded = examples.stream().map(encoder::encode).toList();
            int planned = EpochRunner.stepsFor(encoded.size(), options.batchSize(), epochs);
            int total = maxSteps == null ? planned : Math.min(maxSteps, planned);
            LoadedCheckpoint checkpoint = resume == null ? null : CheckpointReader.read(resume, base.model());
            AdapterConfig config = checkpoint != null ? checkpoint.adapters().config() : adapter.toConfig();
            try (AdapterSet adapters = checkpoint != null ? checkpoint.adapters() : AdapterSet.create(base.model(), config, seed);
                    AdapterTrainer trainer = new AdapterTrainer(base.model(), adapters, options, total)) {
                EpochRunner runner = new EpochRunner(encoded, trainer, epochs);
                if (checkpoint != null) {
                    trainer.restore(checkpoint.state());
                    trainer.optimizer().restore(checkpoint.optimizerMoments(), checkpoint.optimizerUpdates());
                    runner.seek(checkpoint.state().epoch(), checkpoint.state().cursor());
                    err.printf("resuming %s at step %d%n", resume, checkpoint.state().step());
                }
                err.printf("%s adapter, %d examples, %d updates of %d examples; trainable parameters: %,d (without routers: %,d)%n",
                        config.type(), encoded.size(), total, options.batchSize(),
                        adapters.trainableParameters(true), adapters.trainableParameters(false));
                Files.createDirectories(out);
                String baseRef = model.model.getFileName().toString();
                trainer.addListener(new ProgressPrinter(err, trainer.progress().step()));
                if (saveEvery > 0) {
                    trainer.addListener(new TrainerListener() {
                        @Override
                        public void onStep(StepResult r, TrainingProgress p) {
                            if (!r.skipped() && p.step() % saveEvery == 0 && p.step() < total) {
                                save(adapters, trainer, runner, baseRef, err);
                            }
                        }
                    });
                }
                runner.run(total);
                Path last = save(adapters, trainer, runner, baseRef, err);
                spec.commandLine().getOut().println(last);
            }
        }
        return 0;
    }

    private Path save(AdapterSet adapters, AdapterTrainer trainer, EpochRunner runner, String baseRef, PrintWriter err) {
        Path target = out.resolve(String.format("step-%06d", trainer.progress().step()));
        Manifest m = CheckpointWriter.write(target, adapters, trainer.optimizer(),
                trainer.state(runner.epoch(), runner.cursor(), Map.of()), baseRef);
        err.printf("%ncheckpoint %s (sha256 %s)%n", target, m.digest());
        return target;
    }
}
