package io.moelora.gateway.board;

import io.moelora.events.LeaderboardRow;
import java.util.List;

/**
 * A board as the API shows it.
 *
 * @param board     board id: {@code overall}, {@code math}, {@code commonsense} or a suite name
 * @param rows      ranked rows, at most the requested limit
 * @param totalRows rows the board has in all (of this view: all checkpoints, or best per job)
 * @param bestPerJob true when only each job's best checkpoint is listed
 * @param order     the ranking and tie-break rule
 */
public record BoardView(String board, List<LeaderboardRow> rows, int totalRows, boolean bestPerJob, String order) {}
