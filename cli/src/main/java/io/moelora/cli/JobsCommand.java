package io.moelora.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code moelora jobs create|list|show}: jobs through the gateway's REST API (the gateway validates
 * and publishes; {@code submit} writes to Kafka directly instead).
 */
@Command(name = "jobs", mixinStandardHelpOptions = true,
        description = {"Create, list and show jobs through the gateway's REST API.",
                "Exit codes: 2 the gateway refused the request (invalid spec, unknown job), 5 no or a wrong token,"
                        + " 6 the gateway is unreachable or failed."},
        subcommands = {JobsCommand.Create.class, JobsCommand.ListJobs.class, JobsCommand.Show.class})
final class JobsCommand implements Runnable {

    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Create or update a job (POST /api/jobs) from a JobSpec file (JSON or YAML) or a recipe;"
                    + " prints the job.",
                    "Example: moelora jobs create --recipe moelora-4x2-top2 --set jobId=m1 --set experiment=cmp1"})
    static final class Create implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        GatewayOptions gateway;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Source source;

        @Mixin
        RecipeOptions recipes;

        static final class Source {
            @Option(names = "--file", description = "the JobSpec (JSON, or YAML for .yaml/.yml; absent fields take"
                    + " their defaults)")
            Path file;

            @Option(names = "--recipe", paramLabel = "NAME", description = "a recipe in --recipes-dir, e.g. lora-r8")
            String recipe;
        }

        @Override
        public Integer call() throws Exception {
            String body = recipes.json(source.file, source.recipe);
            GatewayClient.Reply reply = gateway.client().post("/api/jobs", "application/json", body);
            String id = reply.body().path("jobId").asText();
            spec.commandLine().getOut().println(PRETTY.writeValueAsString(reply.body()));
            spec.commandLine().getErr().println(switch (reply.status()) {
                case 201 -> "created job " + id;
                case 200 -> "updated job " + id;
                default -> "submitted job " + id + "; the gateway does not show it yet (HTTP " + reply.status() + ")";
            });
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the jobs (GET /api/jobs): state, progress and best checkpoint on the overall board.")
    static final class ListJobs implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        GatewayOptions gateway;

        @Option(names = "--json", description = "print the gateway's JSON instead of a table")
        boolean json;

        @Override
        public Integer call() throws Exception {
            JsonNode jobs = gateway.client().get("/api/jobs");
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(PRETTY.writeValueAsString(jobs));
            } else {
                out.print(table(jobs));
                out.flush(); // print does not flush, and main exits without closing out
            }
            return 0;
        }

        static String table(JsonNode jobs) {
            List<String[]> lines = new ArrayList<>();
            lines.add(new String[] {"JOB", "STATE", "STEP", "EXAMPLES", "CHECKPOINTS", "BEST", "UPDATED"});
            for (JsonNode j : jobs) {
                JsonNode best = j.path("best");
                lines.add(new String[] {j.path("jobId").asText(), j.path("state").asText(), j.path("step").asText("0"),
                        j.path("examplesSeen").asText("0"), j.path("checkpoints").asText("0"),
                        best.isObject() ? String.format(Locale.ROOT, "%.2f @ step %d", best.path("average").asDouble(),
                                best.path("step").asLong()) : "-",
                        j.path("updatedAt").asText("-")});
            }
            if (lines.size() == 1) {
                return "(no jobs)\n";
            }
            int[] width = new int[lines.get(0).length];
            lines.forEach(l -> {
                for (int c = 0; c < l.length; c++) {
                    width[c] = Math.max(width[c], l[c].length());
                }
            });
            StringBuilder out = new StringBuilder();
            for (String[] l : lines) {
                for (int c = 0; c < l.length; c++) {
                    out.append(l[c]).append(c + 1 < l.length ? " ".repeat(width[c] - l[c].length() + 2) : "\n");
                }
            }
            return out.toString();
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show one job (GET /api/jobs/ID): spec, lifecycle state, progress, best checkpoint.")
    static final class Show implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        GatewayOptions gateway;

        @Parameters(paramLabel = "ID", description = "the job id")
        String id;

        @Override
        public Integer call() throws Exception {
            JsonNode job = gateway.client().get("/api/jobs/" + GatewayClient.id("job id", id));
            spec.commandLine().getOut().println(PRETTY.writeValueAsString(job));
            return 0;
        }
    }
}
