package io.moelora.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * One client of the gateway's leaderboard event stream ({@code GET /api/stream/leaderboard}), as the
 * dashboard holds it: notes the wall-clock time (ms, this host's clock, the clock Kafka timestamps
 * use here) at which each checkpoint first appeared on the {@code overall} board.
 */
final class LeaderboardStream implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BOARD = "overall";

    private final Map<String, Long> firstSeenMs = new ConcurrentHashMap<>();
    private final Thread reader;
    private volatile Stream<String> lines;
    private volatile Throwable failure;

    private LeaderboardStream(String baseUrl) {
        this.reader = new Thread(() -> read(baseUrl), "sse-leaderboard");
        this.reader.setDaemon(true);
    }

    /** Connects and returns once the response headers arrived (the subscription is open). */
    static LeaderboardStream open(String baseUrl) throws IOException, InterruptedException {
        var stream = new LeaderboardStream(baseUrl);
        stream.reader.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (stream.lines == null && stream.failure == null && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        if (stream.lines == null) {
            throw new IOException("the leaderboard stream did not open", stream.failure);
        }
        return stream;
    }

    private void read(String baseUrl) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/stream/leaderboard"))
                .header("Accept", "text/event-stream").build();
        try {
            HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
            if (response.statusCode() != 200) {
                throw new IOException("leaderboard stream refused with " + response.statusCode());
            }
            lines = response.body();
            String event = "message";
            StringBuilder data = new StringBuilder();
            for (String line : (Iterable<String>) lines::iterator) {
                // text/event-stream: fields until an empty line, which ends the event
                if (line.isEmpty()) {
                    if ("leaderboard".equals(event) && data.length() > 0) {
                        onBoard(JSON.readTree(data.toString()), System.currentTimeMillis());
                    }
                    event = "message";
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    event = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).stripLeading());
                }
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            failure = e;
        }
    }

    private void onBoard(JsonNode update, long nowMs) {
        if (BOARD.equals(update.path("board").asText())) {
            for (JsonNode row : update.path("rows")) {
                firstSeenMs.putIfAbsent(row.path("checkpointId").asText(), nowMs);
            }
        }
    }

    /** When {@code checkpointId} first appeared on the overall board (epoch ms), or null. */
    Long firstSeenMs(String checkpointId) {
        return firstSeenMs.get(checkpointId);
    }

    /** Why the stream ended early, or null while it runs. */
    Throwable failure() {
        return failure;
    }

    @Override
    public void close() {
        Stream<String> s = lines;
        if (s != null) {
            s.close();
        }
        reader.interrupt();
    }
}
