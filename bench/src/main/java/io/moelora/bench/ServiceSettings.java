package io.moelora.bench;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a service's libtorch runs, set as the {@code moelora} launcher sets it: intra-op threads by
 * system property ({@code MOELORA_TORCH_THREADS}) and OpenMP's wait policy by environment.
 *
 * @param torchThreads  libtorch intra-op threads, >= 1
 * @param ompWaitPolicy {@code PASSIVE} (idle OpenMP threads sleep) or {@code ACTIVE} (they spin)
 */
record ServiceSettings(int torchThreads, String ompWaitPolicy) {

    // Before EMBEDDED_DEFAULT: static fields initialise in order, and its constructor reads this.
    private static final Set<String> POLICIES = Set.of("PASSIVE", "ACTIVE");

    /** What {@code ./moelora up} runs with: one thread per service, no spinning. */
    static final ServiceSettings EMBEDDED_DEFAULT = new ServiceSettings(1, "PASSIVE");

    public ServiceSettings {
        if (torchThreads < 1) {
            throw new IllegalArgumentException("torchThreads must be >= 1, got " + torchThreads);
        }
        if (!POLICIES.contains(ompWaitPolicy)) {
            throw new IllegalArgumentException("ompWaitPolicy must be one of " + POLICIES + ", got " + ompWaitPolicy);
        }
    }

    List<String> jvmOptions() {
        return List.of("-Dai.djl.pytorch.num_threads=" + torchThreads);
    }

    Map<String, String> env() {
        return Map.of("OMP_WAIT_POLICY", ompWaitPolicy);
    }

    /** e.g. {@code 1 thread, PASSIVE}. */
    String label() {
        return torchThreads + (torchThreads == 1 ? " thread, " : " threads, ") + ompWaitPolicy;
    }
}
