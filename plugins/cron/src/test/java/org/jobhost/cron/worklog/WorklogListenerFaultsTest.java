package org.jobhost.cron.worklog;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jobhost.api.Job;
import org.jobhost.api.Outcome;
import org.jobhost.cron.CronTesting;
import org.jobhost.store.HistoryQuery;
import org.jobhost.store.Run;
import org.jobhost.store.RunOutcome;
import org.jobhost.store.SqliteStore;
import org.jobhost.store.Store;
import org.jobhost.store.StoreException;
import org.jobhost.testkit.FakeHost;
import org.jobhost.testkit.ManualClock;
import org.jobhost.testkit.TestPluginContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The worklog loses no row while its database cannot be written, and a stop leaves none open. */
class WorklogListenerFaultsTest {

  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

  @TempDir Path home;

  private final ManualClock clock = new ManualClock(T0);
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(WorklogWriter.class);
  private volatile boolean full;
  private WorklogListener listener;
  private TestPluginContext context;

  @BeforeEach
  void captureLogs() {
    logs.start();
    logger.addAppender(logs);
  }

  @AfterEach
  void close() {
    listener.close();
    logger.detachAppender(logs);
  }

  private void start(int bound) {
    listener = new WorklogListener(FullDisk::new, bound);
    context = CronTesting.daemon(home, clock, new FakeHost(), Map.of("host_name", "alpha"));
    listener.init(context);
  }

  private List<Run> history() {
    try (Store s = SqliteStore.open(CronTesting.database(home), clock)) {
      return s.history(new HistoryQuery(null, false, null, 100_000));
    }
  }

  private List<String> errors() {
    return logs.list.stream()
        .filter(e -> e.getLevel() == Level.ERROR)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  private List<String> infos() {
    return logs.list.stream()
        .filter(e -> e.getLevel() == Level.INFO)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  private void run(String id, Outcome outcome) {
    Job job = new Job(id, "command", Map.of());
    listener.jobStarted(job);
    listener.jobEnded(job, outcome);
  }

  @Test
  void runsThatEndWhileTheDiskIsFullAreWrittenWhenItHasRoomAgain() {
    start(WorklogWriter.DEFAULT_BOUND);
    run("before.json", Outcome.succeeded());
    full = true;
    for (int i = 0; i < 20; i++) {
      run("full-" + i + ".json", Outcome.succeeded());
    }
    assertThat(history()).hasSize(1);
    assertThat(errors())
        .as("logged once, with the database and the fix")
        .singleElement()
        .satisfies(
            m ->
                assertThat(m)
                    .contains(CronTesting.database(home).toString())
                    .contains("SQLITE_FULL")
                    .contains("Free space"));

    full = false;
    assertThat(listener.writer().retryDue()).as("not due before the backoff").isFalse();
    clock.advance(WorklogWriter.MAX_BACKOFF);
    assertThat(listener.writer().retryDue()).isTrue();

    assertThat(history())
        .hasSize(21)
        .allSatisfy(r -> assertThat(r.end().outcome()).isEqualTo(RunOutcome.SUCCEEDED));
    assertThat(infos())
        .anySatisfy(m -> assertThat(m).contains("can be written again").contains("40 rows"));
    assertThat(errors()).hasSize(1);
  }

  @Test
  void rowsPastTheBoundAreDroppedAndCountedExactly() {
    start(10);
    full = true;
    for (int i = 0; i < 8; i++) {
      run("r" + i + ".json", Outcome.succeeded());
    }
    assertThat(listener.writer().waiting()).isEqualTo(10);
    full = false;
    clock.advance(WorklogWriter.MAX_BACKOFF);
    listener.writer().retryDue();

    assertThat(history()).hasSize(5);
    assertThat(errors())
        .anySatisfy(m -> assertThat(m).startsWith("plugin=cron worklog: 6 rows were dropped"));
  }

  @Test
  void aStopWritesTheEndsThatWaitSoNoEndedRunStaysRunning() {
    start(WorklogWriter.DEFAULT_BOUND);
    Job job = new Job("last.json", "command", Map.of());
    listener.jobStarted(job);
    full = true;
    listener.jobEnded(job, Outcome.succeeded());
    full = false;

    listener.close();

    assertThat(history())
        .singleElement()
        .satisfies(r -> assertThat(r.end().outcome()).isEqualTo(RunOutcome.SUCCEEDED));
  }

  @Test
  void aStopClosesAsCancelledTheRunsWhoseEndNeverCame() {
    start(WorklogWriter.DEFAULT_BOUND);
    listener.jobStarted(new Job("cut.json", "command", Map.of()));
    run("done.json", Outcome.succeeded());

    listener.close();

    assertThat(history())
        .extracting(r -> r.start().jobId(), r -> r.end().outcome(), r -> r.end().message())
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("done.json", RunOutcome.SUCCEEDED, ""),
            org.assertj.core.groups.Tuple.tuple(
                "cut.json", RunOutcome.CANCELLED, WorklogListener.ENDED_AT_STOP));
  }

  @Test
  void aStopWhileTheDiskIsStillFullLogsHowManyRowsAreLost() {
    start(WorklogWriter.DEFAULT_BOUND);
    full = true;
    run("a.json", Outcome.succeeded());
    run("b.json", Outcome.succeeded());

    listener.close();

    assertThat(errors())
        .anySatisfy(m -> assertThat(m).startsWith("plugin=cron worklog: 4 rows are lost at stop"));
  }

  /** The real store, which fails every transaction like a full disk while {@link #full}. */
  private final class FullDisk extends ForwardingStore {
    FullDisk(Store store) {
      super(store);
    }

    @Override
    public <T> T transaction(Work<T> work) {
      if (full) {
        throw new StoreException(
            "cannot write " + location() + ": [SQLITE_FULL] database or disk is full");
      }
      return super.transaction(work);
    }

    @Override
    public void close() {}
  }
}
