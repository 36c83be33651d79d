package io.moelora.cli;

import io.moelora.core.adapter.AdapterConfig;
import java.util.List;
import picocli.CommandLine.Option;

/** Adapter hyper-parameters of {@code moelora train}. */
final class AdapterOptions {

    @Option(names = "--adapter", defaultValue = "moelora", description = "lora or moelora (default: ${DEFAULT-VALUE})")
    String type;

    @Option(names = "--rank", defaultValue = "8", description = "total rank r; MoELoRA splits it over the experts (default: ${DEFAULT-VALUE})")
    int rank;

    @Option(names = "--expert-rank", description = "rank per expert r_e (default: rank / experts)")
    Integer expertRank;

    @Option(names = "--alpha", defaultValue = "16", description = "scale numerator (default: ${DEFAULT-VALUE})")
    double alpha;

    @Option(names = "--scale", description = "override the resolved scale (default: alpha / r, i.e. alpha / (N·r_e))")
    Double scale;

    @Option(names = "--experts", defaultValue = "8", description = "MoELoRA experts N (default: ${DEFAULT-VALUE})")
    int experts;

    @Option(names = "--top-k", defaultValue = "2", description = "experts routed per token (default: ${DEFAULT-VALUE})")
    int topK;

    @Option(names = "--targets", defaultValue = "q_proj,v_proj", split = ",", description = "modules to adapt (default: ${DEFAULT-VALUE})")
    List<String> targets;

    @Option(names = "--dropout", defaultValue = "0.05", description = "adapter input dropout (default: ${DEFAULT-VALUE})")
    double dropout;

    @Option(names = "--contrastive-weight", defaultValue = "0.1", description = "beta (default: ${DEFAULT-VALUE})")
    double contrastiveWeight;

    @Option(names = "--temperature", defaultValue = "0.1", description = "contrastive tau (default: ${DEFAULT-VALUE})")
    double temperature;

    @Option(names = "--max-samples", defaultValue = "64", description = "contrastive samples per expert per module (default: ${DEFAULT-VALUE})")
    int maxSamples;

    @Option(names = "--balance-weight", defaultValue = "0.01", description = "load-balancing coefficient (default: ${DEFAULT-VALUE})")
    double balanceWeight;

    AdapterConfig toConfig() {
        AdapterConfig c;
        switch (type) {
            case "lora" -> c = AdapterConfig.lora(rank, alpha, dropout, targets);
            case "moelora" -> {
                int re = expertRank != null ? expertRank : rank / experts;
                if (expertRank == null && rank % experts != 0) {
                    throw new IllegalArgumentException("--rank " + rank + " is not divisible by --experts " + experts
                            + ": pass --expert-rank");
                }
                c = AdapterConfig.moelora(experts, topK, re, alpha, dropout, targets, contrastiveWeight, temperature,
                        maxSamples, balanceWeight);
            }
            default -> throw new IllegalArgumentException("--adapter must be lora or moelora, got '" + type + "'");
        }
        return scale == null ? c : c.withScale(scale);
    }
}
