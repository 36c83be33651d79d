package io.moelora.trainer;

import io.moelora.core.checkpoint.CheckpointStore;
import io.moelora.messaging.EventPublisher;
import io.moelora.messaging.InboundEvents;
import io.moelora.messaging.JobDirectory;
import io.moelora.trainer.service.JobChecks;
import io.moelora.trainer.stream.ExampleStream;
import io.moelora.trainer.stream.OffsetLedger;
import io.moelora.trainer.train.BaseModels;
import io.moelora.trainer.train.BestCheckpoints;
import io.moelora.trainer.train.TrainerEvents;
import io.moelora.trainer.train.TrainingLoop;
import io.moelora.trainer.train.TrainingSettings;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Starts the replica's threads: the job directory, the training loop (the only DJL user) and the
 * examples consumer; stops them in reverse order. Nothing is checkpointed at shutdown that was not
 * due: whatever was trained since the last checkpoint is re-read by whoever owns the partition next.
 */
@Startup
@ApplicationScoped
public class TrainerRuntime {

  private static final Logger LOG = Logger.getLogger(TrainerRuntime.class);

  private final EventPublisher publisher;
  private final JobDirectory directory;
  private final BestCheckpoints best;
  private final BaseModels bases;
  private final TrainingLoop loop;
  private final ExampleStream stream;
  private final TrainerSettings settings;

  TrainerRuntime(TrainerSettings settings, InboundEvents inbound,
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
    this.settings = settings;
    LOG.infof("Checkpoints in %s, models in %s", settings.checkpointDir().toAbsolutePath(),
        settings.modelDir().toAbsolutePath());
    this.publisher = new EventPublisher(bootstrap, "trainer");
    this.directory = new JobDirectory(bootstrap, "trainer-jobs").start();
    this.best = new BestCheckpoints(bootstrap).start();
    this.bases = new BaseModels(settings.modelDir());
    OffsetLedger ledger = new OffsetLedger();
    this.loop = new TrainingLoop(bases, new CheckpointStore(settings.checkpointDir()), new TrainerEvents(publisher),
        ledger, new TrainingSettings(settings.trainer().metricsEvery(), settings.trainer().keepLast(),
            settings.trainer().maxQueued()), best::protectedIds);
    this.stream = new ExampleStream(bootstrap, settings.trainer().group(), directory,
        spec -> JobChecks.problem(spec, settings.modelDir()), loop, ledger, publisher, inbound::count,
        settings.trainer().maxExampleChars(), settings.trainer().maxQueued());
    directory.addListener(loop::specChanged);
    loop.start(stream::rewind);
    stream.start();
  }

  public EventPublisher publisher() {
    return publisher;
  }

  public TrainerSettings settings() {
    return settings;
  }

  /** True while the consumer and training threads run. */
  public boolean alive() {
    return loop.alive() && stream.alive();
  }

  @PreDestroy
  void stop() {
    stream.close();
    loop.close();
    directory.close();
    best.close();
    bases.close();
    publisher.close();
  }
}
