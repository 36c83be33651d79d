package io.moelora.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.moelora.events.AdapterType;
import io.moelora.events.CheckpointPublished;
import io.moelora.events.Decoding;
import io.moelora.events.EvalResult;
import io.moelora.events.EventCodec;
import io.moelora.events.JobEvent;
import io.moelora.events.JobKeyed;
import io.moelora.events.JobSpec;
import io.moelora.events.JobState;
import io.moelora.events.Topics;
import io.moelora.events.TrainingMetrics;
import io.moelora.kafkalocal.testing.KafkaBrokerTestResource;
import io.moelora.kafkalocal.testing.TestKafkaClients;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The dashboard in a real browser: headless Chromium (Debian's {@code chromium}, driven through its
 * {@code chromedriver}) loads {@code /} from the running gateway, and events produced to the real
 * broker show up live, without reloading the page: the job with its state, a leaderboard row with
 * its accuracy, the loss curves, the accuracy curve and the routing heatmap. The final page is saved
 * as {@code target/dashboard.png}.
 *
 * <p>Skipped, with the reason, where the browser is not installed ({@code .ci/run} installs it);
 * {@code -Dmoelora.chromium=...} and {@code -Dmoelora.chromedriver=...} point at other binaries.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.GLOBAL)
class DashboardBrowserIT {

  private static final Logger LOG = Logger.getLogger(DashboardBrowserIT.class);
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Path CHROMIUM = Path.of(System.getProperty("moelora.chromium", "/usr/bin/chromium"));
  private static final Path CHROMEDRIVER =
      Path.of(System.getProperty("moelora.chromedriver", "/usr/bin/chromedriver"));
  private static final Path SCREENSHOT = Path.of("target", "dashboard.png");
  private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");
  private static final List<String> MODULES = List.of("0.q_proj", "0.v_proj", "1.q_proj", "1.v_proj");

  @ConfigProperty(name = KafkaBrokerTestResource.BOOTSTRAP_SERVERS)
  String bootstrap;

  @ConfigProperty(name = "moelora.gateway.auth.token")
  String token;

  @TestHTTPResource("/")
  URL dashboard;

  private ChromeDriver browser;
  private Path profile;

  @BeforeEach
  void startBrowser() throws IOException {
    assumeTrue(Files.isExecutable(CHROMIUM), "needs Chromium: " + CHROMIUM + " is not installed (apt-get install"
        + " chromium chromium-driver; .ci/run does it)");
    assumeTrue(Files.isExecutable(CHROMEDRIVER), "needs ChromeDriver: " + CHROMEDRIVER + " is not installed"
        + " (apt-get install chromium-driver; .ci/run does it)");
    profile = Files.createTempDirectory("moelora-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage", "--user-data-dir=" + profile,
        "--window-size=1400,1300");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    // Both paths are given, so Selenium Manager (which would download drivers) is never asked.
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort()
        .build();
    browser = new ChromeDriver(service, options);
  }

  @AfterEach
  void stopBrowser() throws IOException {
    if (browser != null) {
      browser.quit();
    }
    if (profile != null) {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void showsJobsCurvesRoutingAndALeaderboardRowLiveFromTheBroker() throws Exception {
    String jobId = "dash-" + UUID.randomUUID().toString().substring(0, 8);
    String experiment = "dash-exp-" + jobId.substring(5);
    long started = System.nanoTime();
    browser.get(dashboard + "#experiment=" + experiment);
    try {
      // Produce only once the page's EventSource is open: what follows must arrive live.
      await().atMost(WAIT).until(() -> "open".equals(body("data-stream")));
      assertThat(body("data-feed")).isEqualTo("eventsource");
      assertThat(rows("#leaderboard", jobId)).isEmpty();

      send(Topics.JOBS, JobSpec.withDefaults(jobId, "builtin:tiny").withExperiment(experiment));
      send(Topics.JOB_EVENTS, event(jobId, JobState.TRAINING, 0));
      for (int step = 5; step <= 15; step += 5) {
        send(Topics.TRAINING_METRICS, metrics(jobId, step));
      }
      CheckpointPublished checkpoint = checkpoint(jobId, 15);
      send(Topics.CHECKPOINTS, checkpoint);
      send(Topics.JOB_EVENTS, event(jobId, JobState.CHECKPOINTED, 15));
      send(Topics.EVAL_RESULTS, new EvalResult(1, jobId, checkpoint.checkpointId(), "synthetic-addsub", "1", 3, 2,
          EvalResult.accuracyOf(2, 3), "numeric", Decoding.GREEDY, "llm-adapters-1", 25));

      // Live updates re-render the table: an element found a moment ago may be gone (stale).
      await().atMost(WAIT).ignoreException(StaleElementReferenceException.class).untilAsserted(() -> {
        List<WebElement> row = rows("#leaderboard", jobId);
        assertThat(row).hasSize(1);
        assertThat(row.get(0).getDomAttribute("data-checkpoint")).isEqualTo(checkpoint.checkpointId());
        assertThat(row.get(0).findElement(By.cssSelector("td.average")).getText()).isEqualTo("66.67");
      });
      LOG.infof("Leaderboard row of %s shown %d ms after the page was requested", jobId,
          Duration.ofNanos(System.nanoTime() - started).toMillis());

      // The job's experiment (named in the address) shows it side by side with its latest accuracy.
      await().atMost(WAIT).ignoreException(StaleElementReferenceException.class).untilAsserted(() -> {
        assertThat(rows("#experiment-jobs", jobId)).singleElement()
            .satisfies(r -> assertThat(r.findElement(By.cssSelector("td.best")).getText()).isEqualTo("66.67"));
        assertThat(browser.findElement(By.id("experiment-chart")).getDomAttribute("data-series")).isEqualTo("1");
      });

      await().atMost(WAIT).ignoreException(StaleElementReferenceException.class).untilAsserted(() ->
          assertThat(rows("#jobs", jobId)).singleElement()
              .satisfies(r -> assertThat(r.getDomAttribute("data-state")).isEqualTo("checkpointed")));
      await().atMost(WAIT).ignoreException(StaleElementReferenceException.class)
          .untilAsserted(() -> rows("#jobs", jobId).get(0).click());
      await().atMost(WAIT).untilAsserted(() -> {
        assertThat(browser.findElement(By.id("selected-job")).getText()).isEqualTo(jobId);
        assertThat(browser.findElement(By.id("loss-chart")).getDomAttribute("data-points")).isEqualTo("3");
        assertThat(browser.findElement(By.id("accuracy-chart")).getDomAttribute("data-points")).isEqualTo("1");
        assertThat(browser.findElement(By.id("routing-chart")).getDomAttribute("data-modules"))
            .isEqualTo(String.valueOf(MODULES.size()));
      });
      // Charts are drawn on canvases by echarts, served from its WebJar.
      assertThat(browser.findElements(By.cssSelector("#loss-chart canvas, #routing-chart canvas"))).hasSize(2);

      // With a token (what a gateway that protects reads needs) EventSource cannot send the header:
      // the page reads the stream with fetch() instead, and stays live.
      browser.findElement(By.id("token")).sendKeys(token);
      browser.findElement(By.cssSelector("#token-form button")).click();
      await().atMost(WAIT).until(() -> "open".equals(body("data-stream")));
      assertThat(body("data-feed")).isEqualTo("fetch");
      send(Topics.EVAL_RESULTS, new EvalResult(1, jobId, checkpoint.checkpointId(), "synthetic-choice", "1", 4, 1,
          EvalResult.accuracyOf(1, 4), "choice", Decoding.GREEDY, "llm-adapters-1", 25));
      await().atMost(WAIT).ignoreException(StaleElementReferenceException.class).untilAsserted(() ->
          assertThat(rows("#leaderboard", jobId)).singleElement()
              .satisfies(r -> assertThat(r.findElement(By.cssSelector("td.average")).getText()).isEqualTo("45.83")));
      await().atMost(WAIT).ignoreException(StaleElementReferenceException.class).untilAsserted(() -> {
        assertThat(rows("#jobs", jobId).get(0).findElement(By.cssSelector("td.best")).getText()).isEqualTo("45.83");
        assertThat(browser.findElement(By.id("accuracy-chart")).getDomAttribute("data-suites")).isEqualTo("2");
      });
      LOG.infof("Dashboard checks done %d ms after the page was requested",
          Duration.ofNanos(System.nanoTime() - started).toMillis());

      assertThat(browser.manage().logs().get(LogType.BROWSER).getAll()).as("errors in the browser console")
          .noneMatch(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue());
      screenshot(SCREENSHOT);
    } catch (AssertionError | RuntimeException e) {
      screenshot(Path.of("target", "dashboard-failure.png"));
      Files.writeString(Path.of("target", "dashboard-failure.html"), browser.getPageSource(), StandardCharsets.UTF_8);
      browser.manage().logs().get(LogType.BROWSER).forEach(entry -> LOG.infof("browser console: %s", entry));
      throw e;
    }
  }

  private String body(String attribute) {
    return browser.findElement(By.tagName("body")).getDomAttribute(attribute);
  }

  private List<WebElement> rows(String table, String jobId) {
    return browser.findElements(By.cssSelector(table + " tbody tr[data-job='" + jobId + "']"));
  }

  private <E extends Record & JobKeyed> void send(String topic, E event) throws Exception {
    TestKafkaClients.send(bootstrap, topic, event.jobId(), EventCodec.toJson(event));
  }

  private void screenshot(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, browser.getScreenshotAs(OutputType.BYTES));
  }

  private static JobEvent event(String jobId, JobState state, long step) {
    return new JobEvent(1, jobId, state, state.jsonName() + " (dashboard test)", step, step * 8, null, "trainer",
        T0.plusSeconds(step));
  }

  // Losses fall with the step; expert 0 takes a growing share of each module's tokens.
  private static TrainingMetrics metrics(String jobId, long step) {
    var load = new LinkedHashMap<String, List<Double>>();
    var entropy = new LinkedHashMap<String, Double>();
    for (int i = 0; i < MODULES.size(); i++) {
      double top = 0.25 + 0.03 * step / 5 + 0.05 * i;
      double rest = (1 - top) / 3;
      load.put(MODULES.get(i), List.of(top, rest, rest, rest));
      entropy.put(MODULES.get(i), 1.386 - 0.05 * i);
    }
    double lm = 2.5 - 0.05 * step;
    double contrastive = 0.9 - 0.02 * step;
    return new TrainingMetrics(1, jobId, step, lm + 0.1 * contrastive, lm, contrastive, 1.0, 1e-4, 500,
        Map.copyOf(load), Map.copyOf(entropy), T0.plusSeconds(step));
  }

  private static CheckpointPublished checkpoint(String jobId, long step) {
    String id = jobId + "-s" + step;
    return new CheckpointPublished(1, jobId, id, step, step * 8, "file:///checkpoints/" + jobId + "/" + id,
        "ab".repeat(32), AdapterType.MOELORA, 4096, Map.of("loss", 1.5), T0.plusSeconds(step));
  }
}
