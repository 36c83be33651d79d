package io.moelora.gateway.stream;

import io.micrometer.core.instrument.MeterRegistry;
import io.moelora.gateway.GatewayRuntime;
import io.moelora.gateway.config.GatewayConfig;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Opens the SSE streams over the {@link EventLog}: caps connections, resumes from
 * {@code Last-Event-ID}, sends a comment heartbeat to every open stream, and closes a stream whose
 * client falls too far behind (it reconnects with its last id and loses nothing).
 */
@ApplicationScoped
public class SseStreams {

  private static final Logger LOG = Logger.getLogger(SseStreams.class);
  /** Reconnection delay suggested to clients (the SSE {@code retry:} field). */
  private static final long RETRY_MS = 2000;

  private final GatewayRuntime runtime;
  private final GatewayConfig.Sse config;
  private final MeterRegistry registry;
  private final SseConnections connections;
  private final Map<MultiEmitter<? super OutboundSseEvent>, OutboundSseEvent> live = new ConcurrentHashMap<>();
  private ScheduledExecutorService heartbeats;

  SseStreams(GatewayRuntime runtime, GatewayConfig config, MeterRegistry registry) {
    this.runtime = runtime;
    this.config = config.sse();
    this.registry = registry;
    this.connections = new SseConnections(this.config.maxConnections(), this.config.maxConnectionsPerClient());
  }

  @PostConstruct
  void start() {
    registry.gauge("moelora.gateway.sse.connections", connections, SseConnections::open);
    heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sse-heartbeat");
      t.setDaemon(true);
      return t;
    });
    long every = config.heartbeat().toMillis();
    heartbeats.scheduleAtFixedRate(() -> live.forEach((emitter, heartbeat) -> {
      try {
        emitter.emit(heartbeat);
      } catch (RuntimeException e) {
        live.remove(emitter);
      }
    }), every, every, TimeUnit.MILLISECONDS);
  }

  @PreDestroy
  void stop() {
    heartbeats.shutdownNow();
    live.keySet().forEach(MultiEmitter::complete);
  }

  /** Streams open now. */
  public int open() {
    return connections.open();
  }

  /**
   * A stream of the events {@code filter} accepts, for {@code client} (its address).
   *
   * @param lastEventId the client's {@code Last-Event-ID}, or null for a fresh stream
   * @param start       what a fresh (or unresumable) stream receives first
   */
  public Multi<OutboundSseEvent> open(Sse sse, String client, String lastEventId, Predicate<LogEntry> filter,
      EventLog.Start start) {
    SseConnections.Lease lease = connections.acquire(client);
    OutboundSseEvent heartbeat = sse.newEventBuilder().comment("heartbeat").data("").build();
    // A client may fall behind a full replay plus this many live events before it is cut off.
    int buffer = config.replayEvents() + config.clientBuffer();
    return Multi.createFrom().<OutboundSseEvent>emitter(emitter -> {
          // First bytes at once: the client knows it is subscribed, and when to retry.
          emitter.emit(sse.newEventBuilder().comment("connected").reconnectDelay(RETRY_MS).data("").build());
          EventLog.Subscription subscription = runtime.node().log().subscribe(filter, lastEventId, start,
              event -> emitter.emit(sse.newEventBuilder().id(event.id()).name(event.name()).data(event.data()).build()));
          live.put(emitter, heartbeat);
          emitter.onTermination(() -> {
            subscription.close();
            live.remove(emitter);
            lease.close();
          });
        }, BackPressureStrategy.ERROR)
        .onOverflow().buffer(buffer)
        .onFailure().invoke(e -> LOG.infof("Closed the event stream of %s: %s", client, e.getMessage()))
        .onFailure().recoverWithCompletion()
        .onTermination().invoke(lease::close);
  }
}
