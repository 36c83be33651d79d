package io.moelora.cli.experiment;

import io.moelora.cli.GatewayClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Where {@code experiment run} trains: through the pipeline of a running stack (jobs on the trainer, scores
 * from the eval service), in this process, or {@code auto}: the pipeline when the gateway answers ready.
 */
enum ExperimentMode {
    AUTO("auto"),
    PIPELINE("pipeline"),
    IN_PROCESS("in-process");

    /** How long {@code auto} and {@code pipeline} wait for the gateway's readiness answer. */
    static final Duration PROBE = Duration.ofSeconds(2);

    private final String option;

    ExperimentMode(String option) {
        this.option = option;
    }

    /** The value as {@code --mode} takes it. */
    String option() {
        return option;
    }

    /**
     * The mode to run in, said on {@code err}: {@code auto} asks the gateway whether it is ready and falls
     * back to in-process when nothing answers; {@code pipeline} without a ready gateway is an error, so a
     * typo in the URL never turns a stack run into a silent in-process one.
     */
    ExperimentMode resolve(GatewayClient gateway, PrintWriter err) throws InterruptedException {
        if (this == IN_PROCESS) {
            err.println("mode: in-process (--mode in-process)");
            return IN_PROCESS;
        }
        boolean ready = gateway.ready(PROBE);
        if (this == PIPELINE && !ready) {
            throw new IllegalArgumentException("--mode pipeline: the gateway at " + gateway.base()
                    + " does not answer ready (GET /q/health/ready) within " + PROBE.toSeconds()
                    + " s; start the stack (./moelora up) or point --gateway / MOELORA_GATEWAY_URL at it");
        }
        if (ready) {
            err.printf("mode: pipeline (the gateway at %s is ready%s)%n", gateway.base(),
                    this == AUTO ? "; --mode in-process trains here instead" : "");
            return PIPELINE;
        }
        err.printf("mode: in-process (no gateway answers ready at %s within %d s; --mode pipeline requires one)%n",
                gateway.base(), PROBE.toSeconds());
        return IN_PROCESS;
    }

    /** Reads {@code --mode}. */
    static final class Converter implements ITypeConverter<ExperimentMode> {
        @Override
        public ExperimentMode convert(String value) {
            for (ExperimentMode m : values()) {
                if (m.option.equals(value.strip().toLowerCase(Locale.ROOT))) {
                    return m;
                }
            }
            throw new TypeConversionException("expected auto, pipeline or in-process, got '" + value + "'");
        }
    }
}
