package io.moelora.gateway.stream;

import io.moelora.gateway.rest.problem.ApiException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/** Caps open event streams, per client address and in all. */
public final class SseConnections {

  /** One open stream's place; released once, however often closed. */
  public interface Lease extends AutoCloseable {
    @Override
    void close();
  }

  private final int max;
  private final int maxPerClient;
  private final Map<String, Integer> byClient = new HashMap<>();
  private int open;

  public SseConnections(int max, int maxPerClient) {
    this.max = max;
    this.maxPerClient = maxPerClient;
  }

  /** A place for one more stream of {@code client}, or 429 when a cap is reached. */
  public synchronized Lease acquire(String client) {
    if (open >= max) {
      throw ApiException.tooManyStreams("the gateway serves at most " + max + " event streams at once; retry later");
    }
    int mine = byClient.getOrDefault(client, 0);
    if (mine >= maxPerClient) {
      throw ApiException.tooManyStreams("at most " + maxPerClient + " event streams per client address; "
          + client + " has " + mine + " open");
    }
    open++;
    byClient.put(client, mine + 1);
    AtomicBoolean released = new AtomicBoolean();
    return () -> {
      if (released.compareAndSet(false, true)) {
        release(client);
      }
    };
  }

  /** Streams open now. */
  public synchronized int open() {
    return open;
  }

  private synchronized void release(String client) {
    open--;
    byClient.computeIfPresent(client, (c, n) -> n <= 1 ? null : n - 1);
  }
}
