package io.moelora.gateway.board;

import io.moelora.events.EventCodec;
import io.moelora.events.LeaderboardRow;
import io.moelora.events.LeaderboardUpdate;
import io.moelora.events.Topics;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * Publishes changed boards to the compacted {@link Topics#LEADERBOARD} topic (key: board id) for
 * Kafka subscribers. Runs on the feed thread after each batch, and only once the replica has caught
 * up, so that a restart does not replay every intermediate state of every board.
 *
 * <p>A board is sent only when its rows differ from the latest state on the topic (as this replica
 * read it) and from what this replica last sent. Several replicas that see the same change at the
 * same moment may each send it once; every value is the board's full state, so applying it twice
 * is harmless.
 */
public final class LeaderboardPublisher {

  private static final Logger LOG = Logger.getLogger(LeaderboardPublisher.class);

  private final Leaderboards boards;
  private final Producer<String, String> producer;
  private final int maxRows;
  private final Clock clock;
  private final Map<String, List<LeaderboardRow>> read = new ConcurrentHashMap<>();
  private final Map<String, List<LeaderboardRow>> sent = new ConcurrentHashMap<>();

  public LeaderboardPublisher(Leaderboards boards, Producer<String, String> producer, int maxRows, Clock clock) {
    this.boards = boards;
    this.producer = producer;
    this.maxRows = maxRows;
    this.clock = clock;
  }

  /** A board state read back from the topic (by any replica). */
  public void read(LeaderboardUpdate update) {
    read.put(update.board(), update.rows());
  }

  /** Sends every board that changed since the last call and differs from the topic's state. */
  public void publishChanged() {
    for (String board : boards.drainChanged()) {
      LeaderboardUpdate update = boards.update(board, maxRows, clock.instant());
      if (update.rows().equals(read.get(board)) || update.rows().equals(sent.get(board))) {
        continue;
      }
      sent.put(board, update.rows());
      producer.send(new ProducerRecord<>(Topics.LEADERBOARD, board, EventCodec.toJson(update)), (meta, e) -> {
        if (e != null) {
          LOG.warnf("Could not publish board %s (will retry with its next change or batch): %s", board,
              e.getMessage());
          sent.remove(board);
          boards.markChanged(board);
        }
      });
      LOG.debugf("Published board %s (%d rows)", board, update.rows().size());
    }
  }
}
