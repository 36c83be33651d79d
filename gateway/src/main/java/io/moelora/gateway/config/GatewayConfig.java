package io.moelora.gateway.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Optional;

/** The gateway's configuration ({@code moelora.gateway.*}; each key is also an environment variable). */
@ConfigMapping(prefix = "moelora.gateway")
public interface GatewayConfig {

  Auth auth();

  Limits limits();

  Sse sse();

  Feed feed();

  Leaderboard leaderboard();

  /** Bearer-token access control of the {@code /api} endpoints. */
  interface Auth {
    /**
     * The token write endpoints require ({@code Authorization: Bearer <token>}); set it from a
     * Kubernetes Secret through {@code MOELORA_GATEWAY_AUTH_TOKEN}. The gateway refuses to start
     * without one unless {@link #disabled()}.
     */
    Optional<String> token();

    /** Reads (GET, SSE) need the token too. */
    @WithName("protect-reads")
    @WithDefault("false")
    boolean protectReads();

    /** Development only: no token checks at all ({@code ./moelora up} sets it). */
    @WithDefault("false")
    boolean disabled();
  }

  /** Request sizes. */
  interface Limits {
    /** Largest body of {@code POST /api/jobs/{id}/examples}; larger ones get 413. */
    @WithName("max-examples-bytes")
    @WithDefault("32M")
    MemorySize maxExamplesBytes();

    /** Largest body of any other request (a job spec); larger ones get 413. */
    @WithName("max-request-bytes")
    @WithDefault("256K")
    MemorySize maxRequestBytes();

    /** Longest example (instruction + input + output characters) ingest accepts; as the trainer's limit. */
    @WithName("max-example-chars")
    @WithDefault("20000")
    int maxExampleChars();

    /**
     * Examples sent to Kafka and not yet acknowledged before ingest stops reading the body. A few
     * producer batches' worth (a few MiB per upload): a smaller window waits on every acknowledgement.
     */
    @WithName("ingest-in-flight")
    @WithDefault("4000")
    int ingestInFlight();
  }

  /** Server-sent event streams. */
  interface Sse {
    /** Open streams in all. */
    @WithName("max-connections")
    @WithDefault("256")
    int maxConnections();

    /** Open streams per client address (behind a proxy, enable quarkus.http.proxy.* forwarding). */
    @WithName("max-connections-per-client")
    @WithDefault("8")
    int maxConnectionsPerClient();

    /** A comment line this often keeps idle connections (and proxies) open. */
    @WithDefault("15s")
    Duration heartbeat();

    /** Recent events kept for clients that resume with Last-Event-ID. */
    @WithName("replay-events")
    @WithDefault("10000")
    int replayEvents();

    /** Events a client may fall behind (beyond a replay) before the gateway closes its stream. */
    @WithName("client-buffer")
    @WithDefault("1000")
    int clientBuffer();
  }

  /** Reading the topics. */
  interface Feed {
    /** Group id under which replicas record how far they have read (only to dead-letter a record once). */
    @WithDefault("moelora-gateway")
    String group();

    /** Training-metrics records kept per job for {@code GET /api/jobs/{id}/metrics}. */
    @WithName("metrics-per-job")
    @WithDefault("10000")
    int metricsPerJob();

    /** How long a write waits to see its own record in the views before answering 202. */
    @WithName("write-visibility-timeout")
    @WithDefault("10s")
    Duration writeVisibilityTimeout();
  }

  /** The leaderboard topic. */
  interface Leaderboard {
    /** Publish changed boards to moelora.leaderboard. */
    @WithDefault("true")
    boolean publish();

    /** Rows per published board (the REST API serves all). */
    @WithName("publish-rows")
    @WithDefault("100")
    int publishRows();
  }
}
