package io.moelora.gateway;

import io.moelora.gateway.board.LeaderboardPublisher;
import io.moelora.gateway.board.Leaderboards;
import io.moelora.gateway.feed.FeedApplier;
import io.moelora.gateway.feed.FeedReader;
import io.moelora.gateway.stream.EventLog;
import io.moelora.gateway.view.Jobs;
import io.moelora.messaging.InboundEvents;
import io.moelora.messaging.KafkaClients;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * One gateway replica's state and its feed: the views (jobs, boards), the event log behind the SSE
 * streams, the reader that rebuilds them all from the topics, and the leaderboard publisher. Plain
 * Java, so tests can start a second replica beside the application and compare what both show.
 */
public final class GatewayNode implements AutoCloseable {

  /**
   * @param bootstrap     Kafka bootstrap servers
   * @param group         the gateway group (see {@link FeedReader}: only for not dead-lettering twice)
   * @param clientId      Kafka client id prefix of this replica
   * @param publishBoards whether this replica publishes boards to the leaderboard topic
   * @param publishRows   rows per published board
   * @param replayEvents  events kept for resuming SSE clients
   * @param metricsPerJob training-metrics records kept per job
   */
  public record Settings(String bootstrap, String group, String clientId, boolean publishBoards, int publishRows,
      int replayEvents, int metricsPerJob) {}

  private final Jobs jobs;
  private final Leaderboards boards = new Leaderboards();
  private final EventLog log;
  private final FeedReader feed;
  private final KafkaProducer<String, String> boardProducer;

  public GatewayNode(Settings settings, InboundEvents inbound,
      BiConsumer<ConsumerRecord<String, String>, String> deadLetters) {
    this.jobs = new Jobs(settings.metricsPerJob());
    this.log = new EventLog(settings.replayEvents());
    LeaderboardPublisher publisher = null;
    if (settings.publishBoards()) {
      boardProducer = new KafkaProducer<>(KafkaClients.producer(settings.bootstrap(), settings.clientId() + "-boards"));
      publisher = new LeaderboardPublisher(boards, boardProducer, settings.publishRows(), Clock.systemUTC());
    } else {
      boardProducer = null;
    }
    this.feed = new FeedReader(settings.bootstrap(), settings.group(), settings.clientId() + "-feed",
        new FeedApplier(jobs, boards, log, inbound, deadLetters, publisher));
  }

  public GatewayNode start() {
    feed.start();
    return this;
  }

  public Jobs jobs() {
    return jobs;
  }

  public Leaderboards boards() {
    return boards;
  }

  public EventLog log() {
    return log;
  }

  public FeedReader feed() {
    return feed;
  }

  @Override
  public void close() {
    feed.close();
    if (boardProducer != null) {
      boardProducer.close(Duration.ofSeconds(5));
    }
  }
}
