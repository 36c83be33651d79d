package io.moelora.gateway.experiment;

import io.moelora.events.AdapterSpec;
import io.moelora.events.CheckpointPublished;
import io.moelora.events.SuiteGroups;
import io.moelora.gateway.GatewayNode;
import io.moelora.gateway.board.CheckpointView;
import io.moelora.gateway.view.JobView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Experiments as the gateway's views show them. An experiment has no record of its own: its jobs
 * are the current specs whose {@code experiment} names it (a deleted job has no spec and leaves it).
 */
public final class Experiments {

  private Experiments() {}

  /** The jobs of {@code experiment}, by job id; empty when no current spec names it. */
  public static List<JobView> jobs(GatewayNode node, String experiment) {
    return node.jobs().all(j -> null).stream()
        .filter(j -> j.spec() != null && experiment.equals(j.spec().experiment()))
        .sorted(Comparator.comparing(JobView::jobId))
        .toList();
  }

  /** Every experiment some job names, by id. */
  public static List<ExperimentSummary> all(GatewayNode node) {
    Map<String, List<JobView>> byExperiment = node.jobs().all(j -> null).stream()
        .filter(j -> j.spec() != null && j.spec().experiment() != null)
        .collect(Collectors.groupingBy(j -> j.spec().experiment(), TreeMap::new, Collectors.toList()));
    List<ExperimentSummary> out = new ArrayList<>();
    byExperiment.forEach((id, jobs) -> out.add(new ExperimentSummary(id,
        jobs.stream().map(JobView::jobId).sorted().toList(),
        jobs.stream().mapToLong(JobView::examplesSeen).max().orElse(0),
        jobs.stream().map(JobView::updatedAt).filter(t -> t != null).max(Instant::compareTo).orElse(null))));
    return out;
  }

  /** The experiment's jobs side by side, or empty when no job names it. */
  public static Optional<ExperimentView> get(GatewayNode node, String experiment) {
    List<JobView> jobs = jobs(node, experiment);
    if (jobs.isEmpty()) {
      return Optional.empty();
    }
    TreeSet<String> suites = new TreeSet<>();
    List<ExperimentView.Member> members = new ArrayList<>();
    for (JobView job : jobs) {
      List<CheckpointPublished> checkpoints = node.jobs().checkpoints(job.jobId());
      List<ExperimentView.Point> curve = new ArrayList<>();
      for (CheckpointPublished c : checkpoints) {
        CheckpointView view = node.boards().view(c);
        if (!view.scores().isEmpty()) {
          suites.addAll(view.scores().keySet());
          curve.add(new ExperimentView.Point(c.checkpointId(), c.step(), c.examplesSeen(), view.scores(),
              view.averages().get(SuiteGroups.OVERALL)));
        }
      }
      CheckpointPublished last = checkpoints.isEmpty() ? null : checkpoints.get(checkpoints.size() - 1);
      AdapterSpec a = job.spec().adapter();
      members.add(new ExperimentView.Member(job.jobId(), job.state(), job.spec().baseModel(), a.type().jsonName(),
          a.experts(), a.topK(), a.rank(), a.experts() * a.rank(), a.alpha(), a.contrastiveWeight(),
          a.balanceWeight(), last == null ? 0 : last.trainableParams(), job.step(), job.examplesSeen(),
          last == null ? -1 : last.step(), curve.isEmpty() ? null : curve.get(curve.size() - 1), curve));
    }
    return Optional.of(new ExperimentView(experiment, List.copyOf(suites), members));
  }
}
