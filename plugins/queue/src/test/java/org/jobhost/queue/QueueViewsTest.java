package org.jobhost.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.jobhost.api.AdminView;
import org.jobhost.api.Job;
import org.jobhost.api.Outcome;
import org.jobhost.api.PicocliCommand;
import org.jobhost.store.DatabaseSettings;
import org.jobhost.store.Dialect;
import org.jobhost.store.TestDatabases;
import org.jobhost.testkit.FakeHost;
import org.jobhost.testkit.TestPluginContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The queue's views for dashboards, and the depth its source tells, on SQLite. */
class QueueViewsTest {

  @TempDir Path home;

  private final List<AutoCloseable> open = new ArrayList<>();
  private TestPluginContext ctx;
  private QueueSource source;

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private void start() {
    DatabaseSettings db = TestDatabases.fresh(Dialect.SQLITE, home);
    ctx =
        TestPluginContext.builder("queue")
            .installation(home)
            .clock(Clock.systemUTC())
            .host(new FakeHost())
            .settings(
                Map.of(
                    "heartbeat_interval",
                    "100ms",
                    "dead_after",
                    "500ms",
                    "host_name",
                    "a",
                    "database",
                    db.sqliteFile().toString()))
            .build();
    source = new QueueSource();
    source.init(ctx);
    open.add(source::close);
    QueueViews views = new QueueViews();
    views.init(ctx);
    open.add(views::close);
    assertThat(ctx.views())
        .extracting(AdminView::name)
        .containsExactly("queue", "dead-jobs", "cluster");
  }

  private void cli(PicocliCommand command, String... args) throws Exception {
    command.init(ctx);
    try {
      assertThat(new CommandLine(command.picocliCommand()).execute(args)).isZero();
    } finally {
      command.close();
    }
  }

  private List<Map<String, Object>> rows(int view) throws Exception {
    return ctx.views().get(view).rows(Map.of());
  }

  @Test
  void theSourceTellsHowManyJobsAreQueuedAndTheStatsViewCountsByTypeAndState() throws Exception {
    start();
    cli(new EnqueueCommand(), "demo");
    cli(new EnqueueCommand(), "demo");
    cli(new EnqueueCommand(), "mail", "--at", "+1h");

    assertThat(source.depth()).hasValue(3);
    Job running = source.poll(1).get(0);
    assertThat(source.depth()).hasValue(2);
    assertThat(rows(0))
        .containsExactlyInAnyOrder(
            Map.of("type", "demo", "state", "queued", "jobs", 1L),
            Map.of("type", "demo", "state", "running", "jobs", 1L),
            Map.of("type", "mail", "state", "queued", "jobs", 1L));
    source.completed(running, Outcome.succeeded());
  }

  @Test
  void aDeadJobShowsWithItsErrorAndRetryFromTheViewQueuesItAgain() throws Exception {
    start();
    cli(new EnqueueCommand(), "demo", "--max-attempts", "1");
    Job job = source.poll(1).get(0);
    source.completed(job, Outcome.failed("boom"));

    assertThat(rows(1))
        .singleElement()
        .satisfies(
            r ->
                assertThat(r)
                    .containsEntry("id", 1L)
                    .containsEntry("type", "demo")
                    .containsEntry("last_error", "boom"));
    assertThat(ctx.views().get(1).act("retry", "1"))
        .isEqualTo("queued job 1 again, from attempt 1");
    assertThat(rows(1)).isEmpty();
    assertThat(source.depth()).hasValue(1);
    assertThatThrownBy(() -> ctx.views().get(1).act("retry", "1"))
        .isInstanceOf(NoSuchElementException.class)
        .hasMessage("no dead or cancelled job 1; see jobhost queue dead");
    assertThatThrownBy(() -> ctx.views().get(1).act("retry", "one"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a queue job id is a number (was \"one\")");
  }

  @Test
  void theClusterViewListsThisHostWithItsHeartbeat() throws Exception {
    start();

    assertThat(rows(2))
        .singleElement()
        .satisfies(
            r ->
                assertThat(r)
                    .containsEntry("name", "a")
                    .containsEntry("state", "running")
                    .containsKeys("pid", "version", "last_heartbeat", "heartbeat_age_s"));
  }
}
