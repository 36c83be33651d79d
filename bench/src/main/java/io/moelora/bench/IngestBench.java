package io.moelora.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moelora.events.EventCodec;
import io.moelora.events.JobSpec;
import io.moelora.events.Topics;
import io.moelora.events.TrainingExample;
import io.moelora.messaging.KafkaClients;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Ingest rate (Kafka part a): examples/s through the gateway's {@code POST /api/jobs/{id}/examples}
 * (large JSON-lines bodies from several clients at once, bearer token as the CLI sends it) against a
 * raw {@code KafkaProducer} with the services' producer settings writing the same records from as many
 * threads. Both run once untimed first, then in {@link AlternatingRounds}; the ratio is paired per round.
 */
final class IngestBench {

    static final String PNG = "ingest-rate.png";
    private static final String GATEWAY = "gateway REST ingest";
    private static final String RAW = "raw KafkaProducer, same records";
    private static final String JOB = "bench-ingest";
    private static final double TARGET = 50_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PipelineStack stack;
    private final RunningService gateway;
    private final int examples;
    private final int perUpload;
    private final int clients;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private IngestBench(PipelineStack stack, RunningService gateway, int examples, int perUpload, int clients) {
        this.stack = stack;
        this.gateway = gateway;
        this.examples = examples;
        this.perUpload = perUpload;
        this.clients = clients;
    }

    static void run(PipelineStack stack, BenchOptions o, Path out) throws Exception {
        int rounds = o.integer("--rounds", 3);
        int perUpload = o.integer("--ingest-per-upload", 10_000);
        int examples = Math.max(perUpload, o.integer("--ingest-examples", 200_000) / perUpload * perUpload);
        int clients = o.integer("--ingest-clients", 4);
        System.out.printf("%n== Kafka (a): ingest, %d examples per run in uploads of %d, %d clients; %d rounds ==%n",
                examples, perUpload, clients, rounds);
        try (RunningService gateway = stack.start(ServiceKind.GATEWAY, "bench-gateway",
                ServiceSettings.EMBEDDED_DEFAULT, Map.of())) {
            new IngestBench(stack, gateway, examples, perUpload, clients).measure(rounds, out);
        }
    }

    private void measure(int roundCount, Path out) throws Exception {
        createJob();
        // The same texts every run; the ids differ per run, as separate uploads' would.
        List<TrainingExample> texts = ExampleRecords.of(JOB, "x", examples);
        List<byte[]> bodies = new ArrayList<>();
        for (int from = 0; from < examples; from += perUpload) {
            bodies.add(ExampleRecords.uploadBody(texts.subList(from, from + perUpload)));
        }
        System.out.printf("upload body: %.1f MB of JSON lines%n", bodies.get(0).length / 1e6);
        try (var producer = new KafkaProducer<String, String>(KafkaClients.producer(stack.bootstrap(), "bench-raw"))) {
            AtomicInteger run = new AtomicInteger();
            // Each run writes new ids (as separate uploads would); the raw records are made before the clock starts.
            AlternatingRounds rounds = new AlternatingRounds()
                    .add(GATEWAY, "examples/s", () -> gatewayRun(bodies, "g" + run.incrementAndGet()))
                    .add(RAW, "examples/s", () -> rawRun(producer, records(texts, "raw" + run.incrementAndGet())))
                    .run(roundCount, true);
            double g = rounds.median(GATEWAY);
            double k = rounds.median(RAW);
            System.out.println();
            System.out.println("| gateway examples/s (median) | raw KafkaProducer examples/s (median) |"
                    + " gateway/raw (paired, median) | target |");
            System.out.println("|---|---|---|---|");
            System.out.printf("| %,.0f | %,.0f | %.2f | %s 50,000/s |%n", g, k, rounds.pairedRatio(GATEWAY, RAW),
                    g >= TARGET ? "meets" : "below");
            BarChart chart = new BarChart("Ingest into moelora.training-examples, " + clients + " clients",
                    "round", "examples/s");
            for (int r = 0; r < roundCount; r++) {
                chart.add(GATEWAY, "round " + (r + 1), rounds.samples(GATEWAY).get(r));
                chart.add(RAW, "round " + (r + 1), rounds.samples(RAW).get(r));
            }
            chart.add(GATEWAY, "median", g).add(RAW, "median", k).write(out, PNG);
        }
    }

    /** Examples/s of one run: every body uploaded, {@code clients} at a time, all answered 200 and counted. */
    private double gatewayRun(List<byte[]> bodies, String prefix) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        try {
            List<Future<Long>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                done.add(pool.submit(() -> {
                    long accepted = 0;
                    for (int u; (u = next.getAndIncrement()) < bodies.size(); ) {
                        accepted += upload(bodies.get(u), prefix + "u" + u);
                    }
                    return accepted;
                }));
            }
            long accepted = 0;
            for (Future<Long> f : done) {
                accepted += f.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long sent = (long) bodies.size() * perUpload;
            if (accepted != sent) {
                throw new IllegalStateException("the gateway accepted " + accepted + " of " + sent + " examples");
            }
            return sent / seconds;
        } finally {
            pool.shutdownNow();
        }
    }

    private long upload(byte[] body, String idPrefix) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(gateway.baseUrl() + "/api/jobs/" + JOB + "/examples?idPrefix=" + idPrefix))
                .timeout(Duration.ofMinutes(5)).header("Authorization", "Bearer " + PipelineStack.TOKEN)
                .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("upload answered " + response.statusCode() + ": " + response.body());
        }
        JsonNode report = JSON.readTree(response.body());
        if (report.path("rejected").asLong() != 0) {
            throw new IOException("the gateway refused examples: " + response.body());
        }
        return report.path("accepted").asLong();
    }

    /** Examples/s of one run: {@code records} sent from {@code clients} threads, then every ack awaited. */
    private double rawRun(KafkaProducer<String, String> producer, List<String> records) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        try {
            List<Future<List<Future<RecordMetadata>>>> threads = new ArrayList<>();
            int share = (records.size() + clients - 1) / clients;
            for (int c = 0; c < clients; c++) {
                List<String> mine = records.subList(Math.min(records.size(), c * share),
                        Math.min(records.size(), (c + 1) * share));
                threads.add(pool.submit(() -> {
                    List<Future<RecordMetadata>> acks = new ArrayList<>(mine.size());
                    for (String value : mine) {
                        acks.add(producer.send(new ProducerRecord<>(Topics.TRAINING_EXAMPLES, JOB, value)));
                    }
                    return acks;
                }));
            }
            for (Future<List<Future<RecordMetadata>>> t : threads) {
                for (Future<RecordMetadata> ack : t.get()) {
                    ack.get(60, TimeUnit.SECONDS);
                }
            }
            return records.size() / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The records the gateway would write for these texts: the same JSON, ids {@code prefix-i}. */
    private static List<String> records(List<TrainingExample> texts, String prefix) {
        List<String> out = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            TrainingExample t = texts.get(i);
            out.add(EventCodec.toJson(new TrainingExample(JOB, prefix + "-" + i, t.instruction(), t.input(), t.output(),
                    t.task())));
        }
        return out;
    }

    private void createJob() throws IOException, InterruptedException {
        JobSpec spec = BenchJobs.small(JOB, BenchJobs.NO_CHECKPOINTS, null, 8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/api/jobs"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + PipelineStack.TOKEN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        EventCodec.toJson(spec))).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("creating job " + JOB + " answered " + response.statusCode() + ": "
                    + response.body());
        }
    }
}
