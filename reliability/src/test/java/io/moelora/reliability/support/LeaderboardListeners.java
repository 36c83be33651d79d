package io.moelora.reliability.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * Many clients of the gateway's leaderboard event stream ({@code GET /api/stream/leaderboard}), as
 * browsers or {@code moelora follow} hold them. They share one HTTP client, so one selector thread
 * reads every connection and a small pool parses the events: a thousand clients need no thousand
 * threads. Each client notes when it first saw each checkpoint on the {@code overall} board.
 */
public final class LeaderboardListeners implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BOARD = "overall";

  private final ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
    Thread t = new Thread(r, "sse-listener");
    t.setDaemon(true);
    return t;
  });
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
      .connectTimeout(Duration.ofSeconds(10)).build();
  private final List<Listener> listeners = new ArrayList<>();

  /** One stream: what it received and whether it is still open. */
  public static final class Listener implements Flow.Subscriber<List<ByteBuffer>> {

    private final Map<String, Long> firstSeen = new ConcurrentHashMap<>();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final StringBuilder data = new StringBuilder();
    private String event = "message";
    private volatile Flow.Subscription subscription;
    private volatile boolean ended;
    private volatile Throwable failure;
    private volatile int boardEvents;

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    // Chunks of one connection arrive in order, never concurrently.
    @Override
    public void onNext(List<ByteBuffer> chunks) {
      for (ByteBuffer chunk : chunks) {
        while (chunk.hasRemaining()) {
          byte b = chunk.get();
          if (b == '\n') {
            String text = partial.toString(StandardCharsets.UTF_8);
            partial.reset();
            onLine(text.endsWith("\r") ? text.substring(0, text.length() - 1) : text);
          } else {
            partial.write(b);
          }
        }
      }
    }

    // An empty line ends an event (text/event-stream); comments (":heartbeat") are ignored.
    private void onLine(String line) {
      if (line.isEmpty()) {
        dispatch();
      } else if (line.startsWith("event:")) {
        event = line.substring(6).strip();
      } else if (line.startsWith("data:")) {
        String value = line.substring(5);
        data.append(value.startsWith(" ") ? value.substring(1) : value);
      }
    }

    private void dispatch() {
      long now = System.nanoTime();
      if ("leaderboard".equals(event) && data.length() > 0) {
        try {
          JsonNode update = JSON.readTree(data.toString());
          if (BOARD.equals(update.path("board").asText())) {
            boardEvents++;
            for (JsonNode row : update.path("rows")) {
              firstSeen.putIfAbsent(row.path("checkpointId").asText(), now);
            }
          }
        } catch (IOException e) {
          failure = e;
        }
      }
      event = "message";
      data.setLength(0);
    }

    @Override
    public void onError(Throwable t) {
      failure = t;
      ended = true;
    }

    @Override
    public void onComplete() {
      ended = true;
    }

    /** When this client first saw {@code checkpointId} on the board ({@link System#nanoTime}), or null. */
    public Long firstSeen(String checkpointId) {
      return firstSeen.get(checkpointId);
    }

    /** True when the stream closed or failed. */
    public boolean ended() {
      return ended;
    }

    public Throwable failure() {
      return failure;
    }

    /** Events of the overall board received. */
    public int boardEvents() {
      return boardEvents;
    }

    void cancel() {
      Flow.Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
    }
  }

  /**
   * Opens {@code count} streams on {@code baseUrl}, {@code batch} at a time (each batch waits for its
   * response headers, so the gateway's accept queue never overflows).
   *
   * @throws AssertionError when a stream is refused (the message gives its status)
   */
  public static LeaderboardListeners open(String baseUrl, int count, int batch) throws Exception {
    var all = new LeaderboardListeners();
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/stream/leaderboard"))
        .header("Accept", "text/event-stream").build();
    for (int from = 0; from < count; from += batch) {
      List<CompletableFuture<Integer>> pending = new ArrayList<>();
      for (int i = from; i < Math.min(count, from + batch); i++) {
        Listener listener = new Listener();
        all.listeners.add(listener);
        // Completes with the headers; the body is then a publisher the listener subscribes to.
        pending.add(all.http.sendAsync(request, HttpResponse.BodyHandlers.ofPublisher()).thenApply(response -> {
          if (response.statusCode() == 200) {
            response.body().subscribe(listener);
          }
          return response.statusCode();
        }));
      }
      for (CompletableFuture<Integer> response : pending) {
        int status = response.get(30, TimeUnit.SECONDS);
        if (status != 200) {
          all.close();
          throw new AssertionError("a leaderboard stream was refused with " + status);
        }
      }
    }
    return all;
  }

  public List<Listener> listeners() {
    return listeners;
  }

  /** Clients that have not yet seen {@code checkpointId}. */
  public long missing(String checkpointId) {
    return listeners.stream().filter(l -> l.firstSeen(checkpointId) == null).count();
  }

  @Override
  public void close() {
    listeners.forEach(Listener::cancel);
    executor.shutdownNow();
  }
}
