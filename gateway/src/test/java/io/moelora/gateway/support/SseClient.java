package io.moelora.gateway.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * A server-sent events client that parses the stream as a browser's EventSource does: events are
 * dispatched on a blank line when they carry data or a name; comments are kept apart. Reads on its
 * own thread; {@link #close()} drops the connection, as a browser tab that goes away.
 */
public final class SseClient implements AutoCloseable {

  /** One dispatched event. */
  public record Event(String id, String name, String data) {}

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();

  private final InputStream body;
  private final int status;
  private final String errorBody;
  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final List<String> comments = new CopyOnWriteArrayList<>();
  private volatile boolean ended;

  private SseClient(HttpResponse<InputStream> response) throws IOException {
    this.body = response.body();
    this.status = response.statusCode();
    if (status == 200) {
      this.errorBody = null;
      Thread reader = new Thread(this::read, "sse-client");
      reader.setDaemon(true);
      reader.start();
    } else {
      this.errorBody = new String(body.readAllBytes(), StandardCharsets.UTF_8);
      body.close();
    }
  }

  /** Connects and waits for the response headers (the gateway sends them with its first comment). */
  public static SseClient open(URL url, Map<String, String> headers) throws IOException {
    try {
      var request = HttpRequest.newBuilder(url.toURI()).header("Accept", "text/event-stream").GET();
      headers.forEach(request::header);
      return new SseClient(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
    } catch (URISyntaxException e) {
      throw new IOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  public int status() {
    return status;
  }

  /** The problem body of a refused stream. */
  public String errorBody() {
    return errorBody;
  }

  public List<Event> events() {
    return List.copyOf(events);
  }

  public List<String> comments() {
    return List.copyOf(comments);
  }

  public boolean ended() {
    return ended;
  }

  /** Waits until some event matches and returns the first that does. */
  public Event await(Duration timeout, Predicate<Event> match) {
    Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(50))
        .until(() -> events.stream().anyMatch(match));
    return events.stream().filter(match).findFirst().orElseThrow();
  }

  /** Waits until {@code count} events match, and returns them in order. */
  public List<Event> awaitCount(Duration timeout, Predicate<Event> match, int count) {
    Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(50))
        .until(() -> events.stream().filter(match).count() >= count);
    return events.stream().filter(match).toList();
  }

  private void read() {
    try (var in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      String id = null;
      String name = null;
      List<String> data = new ArrayList<>();
      for (String line; (line = in.readLine()) != null; ) {
        if (line.isEmpty()) {
          if (name != null || !String.join("\n", data).isEmpty()) {
            events.add(new Event(id, name, String.join("\n", data)));
          }
          name = null;
          data.clear();
          continue;
        }
        int colon = line.indexOf(':');
        if (colon == 0) {
          comments.add(line.substring(1).trim());
          continue;
        }
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
          value = value.substring(1);
        }
        switch (field) {
          case "id" -> id = value;
          case "event" -> name = value;
          case "data" -> data.add(value);
          default -> { }
        }
      }
    } catch (IOException e) {
      // closed
    } finally {
      ended = true;
    }
  }

  @Override
  public void close() {
    try {
      body.close();
    } catch (IOException e) {
      // already gone
    }
  }
}
