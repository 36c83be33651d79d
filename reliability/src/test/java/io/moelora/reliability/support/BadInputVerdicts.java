package io.moelora.reliability.support;

import io.moelora.reliability.support.BadInputCase.Outcome;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** What became of each bad-input case: reached its expected outcome, or not and why. */
public final class BadInputVerdicts {

  private final Map<Outcome, Integer> reached = new EnumMap<>(Outcome.class);
  private final List<String> missed = new ArrayList<>();
  private int total;

  public synchronized void reached(BadInputCase c) {
    total++;
    reached.merge(c.outcome(), 1, Integer::sum);
  }

  public synchronized void missed(BadInputCase c, String what) {
    total++;
    missed.add(c.id() + " (" + c.channel() + ", expected " + c.outcome() + " '" + c.reason() + "'): " + what);
  }

  public synchronized int total() {
    return total;
  }

  public synchronized int reached(Outcome outcome) {
    return reached.getOrDefault(outcome, 0);
  }

  public synchronized List<String> missed() {
    return List.copyOf(missed);
  }
}
