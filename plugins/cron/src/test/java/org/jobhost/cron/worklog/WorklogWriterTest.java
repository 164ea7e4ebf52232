package org.jobhost.cron.worklog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jobhost.cron.OpenStores;
import org.jobhost.store.HistoryQuery;
import org.jobhost.store.RunStart;
import org.jobhost.store.Store;
import org.jobhost.testkit.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Group commit: rows that come while a transaction commits share the next one. */
class WorklogWriterTest {

  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

  @TempDir Path dir;

  private final ManualClock clock = new ManualClock(T0);
  @RegisterExtension final OpenStores stores = new OpenStores();

  private Store store() {
    return stores.open(dir.resolve("jobhost.db"), clock);
  }

  private static RunStart start(String id) {
    return new RunStart(Store.SOURCE_HOST, null, id, "command", 1, null, T0, "alpha");
  }

  @Test
  void rowsWrittenDuringACommitShareTheNextTransactionAndKeepTheirOrder() throws Exception {
    CountDownLatch firstCommitEntered = new CountDownLatch(1);
    CountDownLatch releaseFirstCommit = new CountDownLatch(1);
    AtomicInteger commits = new AtomicInteger();
    Store real = store();
    Store slowFirst =
        new ForwardingStore(real) {
          @Override
          public <T> T transaction(Work<T> work) {
            if (commits.incrementAndGet() == 1) {
              firstCommitEntered.countDown();
              try {
                releaseFirstCommit.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            return super.transaction(work);
          }

          @Override
          public void close() {}
        };
    WorklogWriter writer = new WorklogWriter(slowFirst, clock, WorklogWriter.DEFAULT_BOUND);
    Thread first = new Thread(() -> writer.write(tx -> tx.runStartedUnlessOpen(start("j0"))));
    first.start();
    assertThat(firstCommitEntered.await(30, TimeUnit.SECONDS)).isTrue();

    Thread others =
        new Thread(
            () -> {
              for (int i = 1; i <= 50; i++) {
                String id = "j" + i;
                writer.write(tx -> tx.runStartedUnlessOpen(start(id)));
              }
            });
    others.start();
    others.join(TimeUnit.SECONDS.toMillis(30));
    assertThat(others.isAlive())
        .as("writers do not wait for a commit that another thread runs")
        .isFalse();
    assertThat(writer.waiting()).isEqualTo(51);

    releaseFirstCommit.countDown();
    first.join(TimeUnit.SECONDS.toMillis(30));
    assertThat(writer.waiting()).isZero();
    assertThat(writer.transactions())
        .as("one commit for j0, one for the 50 behind it")
        .isEqualTo(2);
    assertThat(commits.get()).isEqualTo(2);
    assertThat(store().history(new HistoryQuery(null, false, null, 100))).hasSize(51);
  }

  @Test
  void aFullQueueOfAWritableDatabaseHoldsTheCallersBackInsteadOfDroppingTheirRows()
      throws Exception {
    Store real = store();
    Store slow =
        new ForwardingStore(real) {
          @Override
          public <T> T transaction(Work<T> work) {
            try {
              Thread.sleep(5);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return super.transaction(work);
          }

          @Override
          public void close() {}
        };
    int bound = 4;
    WorklogWriter writer = new WorklogWriter(slow, clock, bound);
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      int first = t * 50;
      threads[t] =
          new Thread(
              () -> {
                for (int i = first; i < first + 50; i++) {
                  String id = "j" + i;
                  writer.write(tx -> tx.runStartedUnlessOpen(start(id)));
                }
              });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(60));
      assertThat(t.isAlive()).isFalse();
    }
    assertThat(writer.waiting()).isZero();
    assertThat(writer.flush()).as("rows that could not be written").isZero();
    assertThat(store().history(new HistoryQuery(null, false, null, 1000)))
        .as("200 rows through a queue of 4, none dropped")
        .hasSize(200);
  }
}
