package io.moelora.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moelora.core.adapter.AdapterPass;
import io.moelora.core.checkpoint.CheckpointReader;
import io.moelora.core.checkpoint.LoadedCheckpoint;
import io.moelora.core.data.ExampleFile;
import io.moelora.core.io.LoadedModel;
import io.moelora.core.runtime.DjlRuntime;
import io.moelora.core.train.ExampleEncoder;
import io.moelora.core.train.LanguageModelLoss;
import io.moelora.core.train.TokenizedExample;
import io.moelora.core.train.TrainingBatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code moelora loss}: the adapter's losses in eval mode (no dropout), as one JSON object. The whole
 * input is one batch: the LM loss is the token-weighted mean next-token cross-entropy and the
 * auxiliary losses use every non-padding token of that batch.
 */
@Command(name = "loss", mixinStandardHelpOptions = true, description = "Compute LM, contrastive and balance losses of an adapter.")
final class LossCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(names = "--adapter", required = true, description = "checkpoint directory")
    Path adapter;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @Option(names = "--data", description = "examples (JSON array), tokenized with the training prompt")
        Path data;

        @Option(names = "--token-ids", description = "JSONL, one {\"ids\": [...]} per line")
        Path tokenIds;
    }

    @Option(names = "--limit", description = "use only the first N sequences")
    Integer limit;

    @Option(names = "--cutoff", defaultValue = "256", description = "token cutoff for --data (default: ${DEFAULT-VALUE})")
    int cutoff;

    @Override
    public Integer call() throws Exception {
        try (LoadedModel base = input.data != null ? model.loadWithTokenizer() : model.load();
                LoadedCheckpoint ckpt = CheckpointReader.read(adapter, base.model());
                NDManager m = DjlRuntime.newManager()) {
            List<TokenizedExample> sequences = input.data != null ? fromData(base) : fromIds(base.model().config().vocabSize());
            if (limit != null) {
                sequences = sequences.subList(0, Math.min(limit, sequences.size()));
            }
            if (sequences.isEmpty()) {
                throw new IllegalArgumentException("no sequences to score");
            }
            TrainingBatch batch = TrainingBatch.collate(sequences, 0);
            DjlRuntime.inferenceMode();
            AdapterPass pass = ckpt.adapters().pass(m, batch.tokens(), false, true, 0);
            NDArray logits = base.model().logits(m, batch.tokens(), null, pass);
            ObjectNode out = new ObjectMapper().createObjectNode();
            out.put("lm_loss", LanguageModelLoss.compute(logits, batch.tokens(), batch.targets()).getFloat());
            out.put("contrastive_loss", pass.contrastiveLoss().getFloat());
            out.put("balance_loss", pass.balanceLoss().getFloat());
            out.put("tokens", LanguageModelLoss.countedTokens(batch.tokens(), batch.targets()));
            spec.commandLine().getOut().println(out);
        }
        return 0;
    }

    private List<TokenizedExample> fromData(LoadedModel base) {
        ExampleEncoder encoder = new ExampleEncoder(base.tokenizer(), cutoff, true, base.model().config().eosId());
        return ExampleFile.read(input.data).stream().map(encoder::encode).toList();
    }

    private List<TokenizedExample> fromIds(int vocab) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<TokenizedExample> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(input.tokenIds);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            JsonNode ids = json.readTree(lines.get(i)).path("ids");
            if (!ids.isArray() || ids.isEmpty()) {
                throw new IllegalArgumentException(input.tokenIds + ": line " + (i + 1) + ": expected {\"ids\": [non-empty list]}");
            }
            int[] seq = new int[ids.size()];
            boolean[] targets = new boolean[seq.length];
            for (int t = 0; t < seq.length; t++) {
                seq[t] = ids.get(t).asInt(-1);
                if (!ids.get(t).isIntegralNumber() || seq[t] < 0 || seq[t] >= vocab) {
                    throw new IllegalArgumentException(input.tokenIds + ": line " + (i + 1) + ": id " + ids.get(t)
                            + " is not in [0, " + (vocab - 1) + "]");
                }
                targets[t] = true;
            }
            out.add(new TokenizedExample(seq, targets));
        }
        return out;
    }
}
