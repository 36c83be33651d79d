package io.moelora.bench;

import io.moelora.events.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The trainer's count of valid training examples its consumer has read and handed to the training
 * loop: {@code moelora_records_total{topic="moelora.training-examples",outcome="valid"}} on its
 * Prometheus endpoint.
 */
final class RecordCounter {

    private static final String SERIES = "moelora_records_total{";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final HttpRequest request;

    RecordCounter(RunningService trainer) {
        this.request = HttpRequest.newBuilder(URI.create(trainer.baseUrl() + "/q/metrics"))
                .timeout(Duration.ofSeconds(10)).build();
    }

    long validExamples() throws IOException, InterruptedException {
        String text = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        for (String line : text.split("\n")) {
            if (line.startsWith(SERIES) && line.contains("topic=\"" + Topics.TRAINING_EXAMPLES + "\"")
                    && line.contains("outcome=\"valid\"")) {
                return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0; // no example read yet: the counter appears with the first
    }
}
