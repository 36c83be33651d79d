package io.moelora.cli.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moelora.events.JobSpec;
import io.moelora.events.Recipes;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How pipeline mode paces a seed's examples (a chunk per checkpoint, step 0 first on its own) and how it
 * tells a job that cannot finish from one that is still working, from what the gateway shows.
 */
class PipelinePacingTest {

    private static final List<String> SUITES = List.of("synthetic-choice", "synthetic-addsub");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void chunksEndWhereTheTrainerCheckpointsAndStepZeroComesAlone() {
        SeedFeed feed = feed(32, 8, 2);
        assertThat(feed.checkpointCounts()).containsExactly(0L, 16L, 32L);
        assertThat(feed.due()).isEmpty();
        assertThat(feed.nextEnd()).isEqualTo(1);
        feed.pushedTo(1);
        assertThat(feed.due()).containsExactly(0L);
        assertThat(feed.nextEnd()).isEqualTo(16);
        feed.pushedTo(16);
        assertThat(feed.due()).containsExactly(0L, 16L);
        assertThat(feed.nextEnd()).isEqualTo(32);
        feed.pushedTo(32);
        assertThat(feed.fullyPushed()).isTrue();
        assertThat(feed.due()).containsExactly(0L, 16L, 32L);
    }

    @Test
    void aLastCheckpointOffTheIntervalAndSingleExampleUpdates() {
        // 5 updates of 2 examples, a checkpoint every 2 updates: the end (step 5) is one too.
        assertThat(feed(10, 2, 2).checkpointCounts()).containsExactly(0L, 4L, 8L, 10L);
        // One example per update trains at once: there is no training-free first example to send alone.
        assertThat(feed(6, 1, 3).nextEnd()).isEqualTo(3);
    }

    @Test
    void aJobThatStoppedOrLostAScoreIsAProblemAndOneStillWorkingIsNot() throws Exception {
        PipelineJob job = job();
        job.update(view("training", null), List.of(checkpoint("c0", 0, true), checkpoint("c16", 16, false)));
        assertThat(job.problem(List.of(0L, 16L), SUITES)).isEmpty();
        assertThat(job.missingScores(16, SUITES)).containsExactlyElementsOf(SUITES);
        assertThat(job.missingScores(0, SUITES)).isEmpty();

        job.update(view("failed", null), List.of());
        assertThat(job.problem(List.of(0L, 16L), SUITES)).get().asString()
                .contains("job e2e-s1-lora-r8 is failed: boom");

        // The eval service scored the newer checkpoint: the older one will never be.
        PipelineJob overtaken = job();
        overtaken.update(view("training", null), List.of(checkpoint("c0", 0, false), checkpoint("c16", 16, true)));
        assertThat(overtaken.problem(List.of(0L), SUITES)).get().asString()
                .contains("did not score the checkpoint of job e2e-s1-lora-r8 after 0 examples (c0)");

        PipelineJob refused = job();
        refused.update(view("training", "{\"checkpointId\":\"c16\",\"kind\":\"refused\",\"message\":\"digest differs\"}"),
                List.of(checkpoint("c0", 0, true), checkpoint("c16", 16, false)));
        assertThat(refused.problem(List.of(0L, 16L), SUITES)).get().asString()
                .contains("refused checkpoint c16 of job e2e-s1-lora-r8: digest differs");
    }

    private static SeedFeed feed(int examples, int batch, int evalEvery) {
        List<StreamExample> stream = ExampleStream.parse("synthetic").take(1, examples);
        return new SeedFeed("e2e-s1", stream, List.of(), batch, evalEvery);
    }

    private static PipelineJob job() {
        JobSpec spec = Recipes.load(Recipes.find(Path.of("../recipes"), "lora-r8"), Map.of("jobId", "e2e-s1-lora-r8"));
        return new PipelineJob(RecipeRun.of("lora-r8", spec), 1, spec);
    }

    private static JsonNode view(String state, String progress) throws Exception {
        return JSON.readTree("{\"jobId\":\"e2e-s1-lora-r8\",\"state\":\"" + state + "\",\"reason\":\"boom\""
                + (progress == null ? "" : ",\"lastEvalProgress\":" + progress) + "}");
    }

    private static JsonNode checkpoint(String id, long examples, boolean scored) throws Exception {
        return JSON.readTree("{\"checkpoint\":{\"checkpointId\":\"" + id + "\",\"examplesSeen\":" + examples + "},\"scores\":"
                + (scored ? "{\"synthetic-choice\":25.0,\"synthetic-addsub\":0.0}" : "{}") + "}");
    }
}
