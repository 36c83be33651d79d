package io.moelora.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * The gateway's REST API over the JDK HTTP client: JSON replies as trees, errors as
 * {@link GatewayException}s carrying the problem's detail. The bearer token, when given, goes with
 * every request, so gateways that protect reads work too.
 */
public final class GatewayClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    // An upload of a few hundred examples waits for Kafka's acknowledgements; far below this.
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);

    /** A 2xx reply. */
    public record Reply(int status, JsonNode body) {}

    private final String base;
    private final String token;
    private final HttpClient http;

    public GatewayClient(String gateway, String token) {
        URI uri;
        try {
            uri = URI.create(gateway);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            throw new IllegalArgumentException("--gateway must be an http(s) URL such as http://127.0.0.1:8080, got '"
                    + gateway + "'");
        }
        this.base = gateway.replaceAll("/+$", "");
        this.token = token == null || token.isBlank() ? null : token.strip();
        // HTTP/1.1: the default (HTTP/2) would try an h2c upgrade on every plain-http request.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** The gateway's base URL as given, without a trailing slash. */
    public String base() {
        return base;
    }

    /** An id for a path segment, checked here so the gateway never sees a path it would misroute. */
    public static String id(String what, String value) {
        if (value == null || !ID.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must match " + ID.pattern() + ", got '" + value + "'");
        }
        return value;
    }

    public JsonNode get(String path) throws InterruptedException {
        return send(request(path).GET().build(), "GET " + path).body();
    }

    public Reply post(String path, String contentType, String body) throws InterruptedException {
        HttpRequest request = request(path).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        return send(request, "POST " + path);
    }

    /**
     * True when {@code GET /q/health/ready} answers 200 within {@code timeout}: the gateway is up and reads
     * its topics. No answer, a refused connection or any other status is false, never an error.
     */
    public boolean ready(Duration timeout) throws InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).timeout(timeout);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        // The client's connect timeout is longer than a readiness probe may take: the future bounds both.
        CompletableFuture<HttpResponse<Void>> reply = http.sendAsync(b.GET().build(), HttpResponse.BodyHandlers.discarding());
        try {
            return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS).statusCode() == 200;
        } catch (ExecutionException | TimeoutException e) {
            reply.cancel(true);
            return false;
        }
    }

    /** Opens an event stream; the caller reads and closes the body. */
    HttpResponse<InputStream> stream(String path, String lastEventId) throws InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "text/event-stream");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> response;
        try {
            response = http.send(b.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw unreachable(e);
        }
        if (response.statusCode() / 100 != 2) {
            String text;
            try (InputStream in = response.body()) {
                text = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
            } catch (IOException e) {
                text = "";
            }
            throw GatewayException.of("GET " + path, response.statusCode(), parse(text), text);
        }
        return response;
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private Reply send(HttpRequest request, String what) throws InterruptedException {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw unreachable(e);
        }
        JsonNode body = parse(response.body());
        if (response.statusCode() / 100 != 2) {
            throw GatewayException.of(what, response.statusCode(), body, response.body());
        }
        if (body == null) {
            throw new GatewayException(response.statusCode(), what + ": the reply is not JSON: " + response.body());
        }
        return new Reply(response.statusCode(), body);
    }

    private GatewayException unreachable(IOException e) {
        String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return new GatewayException(0, "cannot reach the gateway at " + base + ": " + why
                + " (set --gateway or MOELORA_GATEWAY_URL)");
    }

    private static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
