package io.moelora.core.pretrain;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * {@code pretrain.json}: how a pre-trained base was made and how well, written last into its
 * directory. A cached base is reused only when {@link #matches} the requested run and its weights
 * still hash to {@link #modelSha256}.
 *
 * @param formatVersion version of this record
 * @param model which built-in config was trained (e.g. {@code tiny})
 * @param corpusSha256 {@link PretrainCorpus#digest()} of the corpus
 * @param corpusTokens tokens in the corpus
 * @param options the run's settings
 * @param initialLoss corpus loss of the initial weights on the fixed evaluation windows (nats per byte)
 * @param finalLoss corpus loss after training, same windows
 * @param lastStepLoss loss of the last update's training windows
 * @param tokens predicted tokens processed
 * @param seconds wall time of the training loop
 * @param modelSha256 sha256 (hex) of {@code model.safetensors}
 */
public record PretrainRecord(
        int formatVersion,
        String model,
        String corpusSha256,
        int corpusTokens,
        PretrainOptions options,
        double initialLoss,
        double finalLoss,
        double lastStepLoss,
        long tokens,
        double seconds,
        String modelSha256) {

    public static final int FORMAT_VERSION = 1;
    public static final String FILE = "pretrain.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    static PretrainRecord of(String model, PretrainCorpus corpus, PretrainOptions options, PretrainReport report,
            String modelSha256) {
        return new PretrainRecord(FORMAT_VERSION, model, corpus.digest(), corpus.tokenCount(), options, report.initialLoss(),
                report.finalLoss(), report.lastStepLoss(), report.tokens(), report.seconds(), modelSha256);
    }

    /** Whether this base is what training {@code model} on {@code corpus} with {@code options} would make. */
    public boolean matches(String model, PretrainCorpus corpus, PretrainOptions options) {
        return formatVersion == FORMAT_VERSION && Objects.equals(this.model, model)
                && Objects.equals(corpusSha256, corpus.digest()) && Objects.equals(this.options, options);
    }

    public static PretrainRecord read(Path dir) throws IOException {
        return JSON.readValue(dir.resolve(FILE).toFile(), PretrainRecord.class);
    }

    void write(Path dir) throws IOException {
        JSON.writeValue(dir.resolve(FILE).toFile(), this);
    }
}
