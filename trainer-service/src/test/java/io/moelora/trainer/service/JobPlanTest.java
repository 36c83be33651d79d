package io.moelora.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moelora.core.adapter.AdapterConfig;
import io.moelora.core.io.ModelReference;
import io.moelora.events.JobSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Job specs become core configs (per-expert rank, equal-parameter scale) and safe model paths. */
class JobPlanTest {

    @TempDir
    Path dir;

    @Test
    void moeloraDefaultsMapToEightExpertsOfRankFourAtTheLoraScale() {
        JobPlan plan = JobPlan.of(JobSpec.withDefaults("job-1", "builtin:tiny"));
        AdapterConfig a = plan.adapter();
        assertThat(a.type()).isEqualTo("moelora");
        assertThat(a.experts()).isEqualTo(8);
        assertThat(a.expertRank()).isEqualTo(4);
        assertThat(a.rank()).isEqualTo(32);
        assertThat(a.scale()).isEqualTo(64.0 / 32);
        assertThat(plan.options().batchSize()).isEqualTo(16);
        assertThat(plan.options().seed()).isEqualTo(JobPlan.of(JobSpec.withDefaults("job-1", "builtin:tiny")).options().seed())
                .isNotEqualTo(JobPlan.of(JobSpec.withDefaults("job-2", "builtin:tiny")).options().seed());
    }

    @Test
    void aSeedInTheSpecWinsOverTheJobId() {
        JobSpec d = JobSpec.withDefaults("job-1", "builtin:tiny");
        JobSpec seeded = new JobSpec(d.schemaVersion(), d.jobId(), d.baseModel(), d.adapter(), d.optimizer(), d.batching(),
                d.checkpoint(), d.eval(), d.maxExamples(), d.paused(), "exp-1", 7L);
        assertThat(JobPlan.of(seeded).options().seed()).isEqualTo(7L);
    }

    @Test
    void modelReferencesStayInsideTheModelDirectory() throws Exception {
        Files.createDirectories(dir.resolve("models/llama"));
        Path models = dir.resolve("models");
        assertThat(ModelReference.resolve("llama", models)).isEqualTo(models.resolve("llama").toAbsolutePath().normalize());
        assertThat(ModelReference.resolve("builtin:tiny", models).toString()).isEqualTo("builtin:tiny");
        assertThatThrownBy(() -> ModelReference.resolve("../secret", models)).hasMessageContaining("inside the model directory");
        assertThatThrownBy(() -> ModelReference.resolve("/etc/passwd", models)).hasMessageContaining("inside the model directory");
        assertThatThrownBy(() -> ModelReference.resolve("missing", models)).hasMessageContaining("not found");
        assertThatThrownBy(() -> ModelReference.resolve("builtin:huge", models)).hasMessageContaining("builtin:tiny");
    }
}
