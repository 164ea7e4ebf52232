package org.jobhost.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jobhost.api.Job;
import org.jobhost.api.Outcome;
import org.jobhost.testkit.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {

  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
  private static final Duration MIN_AGE = Duration.ofMillis(500);

  @TempDir Path dir;

  private final ManualClock clock = new ManualClock(T0);

  private Spool spool(boolean keepDone) throws Exception {
    return new Spool(dir, clock, MIN_AGE, keepDone);
  }

  private Path drop(String name, String json, Instant modified) throws Exception {
    Path f = Files.createDirectories(dir.resolve("incoming")).resolve(name);
    Files.writeString(f, json);
    Files.setLastModifiedTime(f, FileTime.from(modified));
    return f;
  }

  /** Drops {@code a.json}, old enough to be taken, and claims it: its job now runs from active/. */
  private Job dropAndClaim(Spool s) throws Exception {
    drop("a.json", COMMAND, T0.minusSeconds(1));
    return s.poll(1).get(0);
  }

  /** The error file of a job file moved to failed/ ({@code <name>.error}) holds each part. */
  private void assertErrorFile(String name, String... parts) throws IOException {
    assertThat(Files.readString(dir.resolve("failed/" + name + ".error"))).contains(parts);
  }

  private static final String COMMAND =
      "{\"type\": \"command\", \"params\": {\"shell\": \"echo hi\", \"n\": 3},"
          + " \"timeout\": \"30s\", \"max_attempts\": 3}";

  @Test
  void oldEnoughFileIsClaimedIntoActiveAndOfferedAsAJob() throws Exception {
    Spool s = spool(true);
    drop("a.json", COMMAND, T0.minusSeconds(1));
    List<Job> jobs = s.poll(5);
    assertThat(jobs)
        .singleElement()
        .satisfies(
            j -> {
              assertThat(j.id()).isEqualTo("a.json");
              assertThat(j.type()).isEqualTo("command");
              assertThat(j.params()).containsEntry("shell", "echo hi").containsEntry("n", "3");
              assertThat(j.timeout()).isEqualTo(Duration.ofSeconds(30));
              assertThat(j.maxAttempts()).isEqualTo(3);
            });
    assertThat(dir.resolve("active/a.json")).exists();
    assertThat(dir.resolve("incoming/a.json")).doesNotExist();
    assertThat(s.poll(5)).isEmpty();
  }

  @Test
  void youngFileIsSkippedUntilItIsOldEnough() throws Exception {
    Spool s = spool(true);
    drop("young.json", COMMAND, T0.minusMillis(100));
    assertThat(s.poll(5)).isEmpty();
    assertThat(s.nextDue()).contains(T0.plusMillis(400));
    clock.set(T0.plusMillis(400));
    assertThat(s.poll(5)).extracting(Job::id).containsExactly("young.json");
  }

  @Test
  void dotfilesAndFilesStillBeingWrittenAreNeverPickedUp() throws Exception {
    Spool s = spool(true);
    drop(".b.json", COMMAND, T0.minusSeconds(10));
    drop("c.json.tmp", COMMAND, T0.minusSeconds(10));
    assertThat(s.poll(5)).isEmpty();
  }

  @Test
  void filesAreTakenOldestFirstUpToMax() throws Exception {
    Spool s = spool(true);
    drop("second.json", COMMAND, T0.minusSeconds(5));
    drop("first.json", COMMAND, T0.minusSeconds(9));
    drop("third.json", COMMAND, T0.minusSeconds(1));
    assertThat(s.poll(2)).extracting(Job::id).containsExactly("first.json", "second.json");
    assertThat(s.nextDue()).as("more is ready now").contains(T0);
    assertThat(s.poll(2)).extracting(Job::id).containsExactly("third.json");
  }

  @Test
  void listedFilesAreClaimedInOrderWithoutListingAgainUntilTheWatcherReportsAChange()
      throws Exception {
    Spool s = spool(true);
    drop("a.json", COMMAND, T0.minusSeconds(9));
    drop("b.json", COMMAND, T0.minusSeconds(8));
    assertThat(s.poll(1)).extracting(Job::id).containsExactly("a.json");
    drop("older.json", COMMAND, T0.minusSeconds(20));
    assertThat(s.poll(1)).as("from the last listing").extracting(Job::id).containsExactly("b.json");
    drop("c.json", COMMAND, T0.minusSeconds(30));
    s.changed();
    assertThat(s.poll(5)).extracting(Job::id).containsExactly("c.json", "older.json");
  }

  @Test
  void aWatchedSpoolWhoseListingIsUsedUpIsListedAgainOnlyWhenTheWatcherReportsAChange()
      throws Exception {
    Spool s = spool(true);
    s.watched(true);
    drop("a.json", COMMAND, T0.minusSeconds(9));
    assertThat(s.poll(1)).extracting(Job::id).containsExactly("a.json");
    drop("b.json", COMMAND, T0.minusSeconds(8));
    assertThat(s.poll(1)).as("nothing reported, nothing listed").isEmpty();
    s.changed();
    assertThat(s.poll(1)).extracting(Job::id).containsExactly("b.json");

    drop("c.json", COMMAND, T0.minusSeconds(7));
    s.watched(false);
    assertThat(s.poll(1))
        .as("the watch was lost: listed at once")
        .extracting(Job::id)
        .containsExactly("c.json");
    drop("d.json", COMMAND, T0.minusSeconds(6));
    assertThat(s.poll(1)).as("unwatched").extracting(Job::id).containsExactly("d.json");
  }

  @Test
  void aWatchedSpoolListsAgainWhenAFileTooYoungComesOfAgeOrTheRescanIntervalPasses()
      throws Exception {
    Spool s = spool(true);
    s.watched(true);
    drop("young.json", COMMAND, T0);
    assertThat(s.poll(1)).isEmpty();
    assertThat(s.nextDue()).contains(T0.plus(MIN_AGE));
    clock.set(T0.plus(MIN_AGE));
    assertThat(s.poll(1))
        .as("of age, no change reported")
        .extracting(Job::id)
        .containsExactly("young.json");

    drop("missed.json", COMMAND, T0);
    clock.set(T0.plus(MIN_AGE).plus(Spool.RESCAN_INTERVAL).minusMillis(1));
    assertThat(s.poll(1)).isEmpty();
    clock.set(T0.plus(MIN_AGE).plus(Spool.RESCAN_INTERVAL));
    assertThat(s.poll(1))
        .as("a change the watcher missed")
        .extracting(Job::id)
        .containsExactly("missed.json");
  }

  @Test
  void listingIsRenewedAfterTheRescanIntervalEvenWithoutAChangeReported() throws Exception {
    Spool s = spool(true);
    drop("a.json", COMMAND, T0.minusSeconds(9));
    drop("b.json", COMMAND, T0.minusSeconds(8));
    assertThat(s.poll(1)).extracting(Job::id).containsExactly("a.json");
    drop("older.json", COMMAND, T0.minusSeconds(20));
    clock.set(T0.plus(Spool.RESCAN_INTERVAL));
    assertThat(s.poll(1)).extracting(Job::id).containsExactly("older.json");
  }

  @Test
  void fileRemovedAfterTheListingIsSkipped() throws Exception {
    Spool s = spool(true);
    drop("a.json", COMMAND, T0.minusSeconds(9));
    Path b = drop("b.json", COMMAND, T0.minusSeconds(8));
    drop("c.json", COMMAND, T0.minusSeconds(7));
    assertThat(s.poll(1)).extracting(Job::id).containsExactly("a.json");
    Files.delete(b);
    assertThat(s.poll(1)).extracting(Job::id).containsExactly("c.json");
  }

  @Test
  void succeededJobMovesToDoneWithItsOutcomeBeside() throws Exception {
    Spool s = spool(true);
    Job job = dropAndClaim(s);
    s.completed(job, Outcome.succeeded("hi\n"));
    assertThat(dir.resolve("done/a.json")).exists();
    assertThat(dir.resolve("active/a.json")).doesNotExist();
    JsonNode outcome = new ObjectMapper().readTree(dir.resolve("done/a.outcome.json").toFile());
    assertThat(outcome.get("outcome").asText()).isEqualTo("SUCCEEDED");
    assertThat(outcome.get("output_tail").asText()).isEqualTo("hi\n");
    assertThat(outcome.get("job_id").asText()).isEqualTo("a.json");
  }

  @Test
  void succeededJobIsDeletedWhenDoneFilesAreNotKept() throws Exception {
    Spool s = spool(false);
    s.completed(dropAndClaim(s), Outcome.succeeded());
    assertThat(dir.resolve("done/a.json")).doesNotExist();
    assertThat(dir.resolve("active/a.json")).doesNotExist();
  }

  @Test
  void failedJobMovesToFailedWithAnErrorFile() throws Exception {
    Spool s = spool(true);
    s.completed(dropAndClaim(s), Outcome.failed("exit 2", 2, "no such file\n"));
    assertThat(dir.resolve("failed/a.json")).exists();
    assertErrorFile("a", "FAILED: exit 2", "no such file");
  }

  @Test
  void anOutcomeFileThatCannotBeWrittenDoesNotKeepTheJobInActive() throws Exception {
    Spool s = spool(true);
    Job job = dropAndClaim(s);
    // A directory where the outcome file is first written: the write fails, as on a full disk.
    Files.createDirectories(dir.resolve("failed/.a.outcome.json.tmp/in-the-way"));

    assertThatThrownBy(() -> s.completed(job, Outcome.failed("exit 2", 2, "")))
        .isInstanceOf(IOException.class);

    assertThat(dir.resolve("active/a.json")).as("not run again by a restart").doesNotExist();
    assertThat(dir.resolve("failed/a.json")).exists();
    assertErrorFile("a", "FAILED: exit 2");
  }

  @Test
  void cancelledJobGoesBackToIncoming() throws Exception {
    Spool s = spool(true);
    s.completed(dropAndClaim(s), Outcome.cancelled("host stopping"));
    assertThat(dir.resolve("incoming/a.json")).exists();
  }

  @Test
  void malformedFilesGoToFailedWithLineAndColumnAndDoNotStopTheSpool() throws Exception {
    Spool s = spool(true);
    drop(
        "badjson.json",
        "{\n  \"type\": \"command\",\n  \"params\": {\"x\": }\n}",
        T0.minusSeconds(4));
    drop("unknown.json", "{\"type\": \"command\",\n \"retries\": 3}", T0.minusSeconds(3));
    drop("notype.json", "{\"params\": {}}", T0.minusSeconds(2));
    drop("wrongtype.json", "{\"type\": 42}", T0.minusSeconds(1));
    drop("good.json", COMMAND, T0.minusMillis(900));
    assertThat(s.poll(5)).extracting(Job::id).containsExactly("good.json");
    assertErrorFile("badjson", "incoming/badjson.json", "invalid JSON at line 3 column");
    assertErrorFile(
        "unknown",
        "unknown key \"retries\" at line 2 column 2",
        "max_attempts, params, timeout, type");
    assertErrorFile("notype", "has no \"type\"", "line 1 column 1");
    assertErrorFile("wrongtype", "\"type\" must be a non-empty string", "line 1 column 10");
    assertThat(dir.resolve("failed/badjson.json")).exists();
  }

  @Test
  void filesLeftActiveByADeadHostAreQueuedAgainAtStart() throws Exception {
    Files.createDirectories(dir.resolve("active"));
    Files.writeString(dir.resolve("active/a.json"), COMMAND);
    Spool s = spool(true);
    assertThat(s.requeueActive()).isEqualTo(1);
    assertThat(dir.resolve("incoming/a.json")).exists();
    clock.set(Instant.now().plusSeconds(5));
    assertThat(s.poll(1)).extracting(Job::id).containsExactly("a.json");
  }

  /**
   * What {@code settle} writes before it moves the job file: the host died between the two, as a
   * kill -9 can.
   */
  private void companionsWrittenThenKilled(String dirName, String stem, Outcome outcome)
      throws Exception {
    Path d = dir.resolve(dirName);
    OutcomeFile.write(
        d.resolve(stem + ".outcome.json"), new Job("a.json", "command", Map.of()), outcome, T0);
    if (dirName.equals("failed")) {
      Files.writeString(d.resolve(stem + ".error"), "FAILED: boom\n");
    }
  }

  @Test
  void aFileWhoseOutcomeWasWrittenWhenTheHostDiedFollowsItToDoneAtStartUnderItsName()
      throws Exception {
    Spool s = spool(true);
    dropAndClaim(s);
    companionsWrittenThenKilled("done", "a", Outcome.succeeded());

    assertThat(spool(true).requeueActive()).isZero();

    assertThat(dir.resolve("done/a.json")).hasContent(COMMAND);
    assertThat(dir.resolve("incoming/a.json")).doesNotExist();
    assertThat(dir.resolve("active/a.json")).doesNotExist();
  }

  @Test
  void aFileWhoseErrorWasWrittenWhenTheHostDiedFollowsItToFailedUnderTheNameItWasGiven()
      throws Exception {
    Files.createDirectories(dir.resolve("failed"));
    Files.writeString(dir.resolve("failed/a.json"), "an earlier a.json, kept");
    Spool s = spool(true);
    dropAndClaim(s);
    companionsWrittenThenKilled("failed", "a-1", Outcome.failed("boom"));

    spool(true).requeueActive();

    assertThat(dir.resolve("failed/a-1.json")).hasContent(COMMAND);
    assertThat(dir.resolve("failed/a.json")).hasContent("an earlier a.json, kept");
    assertThat(dir.resolve("incoming/a.json")).doesNotExist();
  }

  @Test
  void anOutcomeFileOlderThanTheClaimIsAnEarlierJobsAndTheFileIsQueuedAgain() throws Exception {
    Spool s = spool(true);
    dropAndClaim(s);
    companionsWrittenThenKilled("done", "a", Outcome.succeeded());
    Path kept = dir.resolve("done/a.outcome.json");
    Files.setLastModifiedTime(kept, FileTime.from(Instant.now().minusSeconds(3600)));

    assertThat(spool(true).requeueActive()).isEqualTo(1);

    assertThat(dir.resolve("incoming/a.json")).hasContent(COMMAND);
    assertThat(dir.resolve("done/a.json")).doesNotExist();
    assertThat(kept).exists();
  }

  @Test
  void retriedJobIsOfferedAgainNoEarlierThanNotBefore() throws Exception {
    Spool s = spool(true);
    Job job = dropAndClaim(s);
    assertThat(s.retry(job, Outcome.failed("boom"), T0.plusSeconds(10))).isTrue();
    assertThat(s.poll(1)).isEmpty();
    assertThat(s.nextDue()).contains(T0.plusSeconds(10));
    clock.set(T0.plusSeconds(10));
    Job again = s.poll(1).get(0);
    assertThat(again.attempt()).isEqualTo(2);
    s.completed(again, Outcome.succeeded());
    assertThat(dir.resolve("done/a.json")).exists();
  }

  @Test
  void retryIsPersistedBesideTheFileSoARestartResumesItsAttemptAndBackoff() throws Exception {
    Spool s = spool(true);
    Job job = dropAndClaim(s);
    s.retry(job, Outcome.failed("boom"), T0.plusSeconds(10));
    assertThat(dir.resolve("active/a.json")).exists();
    assertThat(Files.readString(dir.resolve("active/.a.json.attempt")))
        .isEqualTo("attempt=2\nnot_before=2024-05-01T10:00:10Z\n");

    Spool restarted = spool(true);
    assertThat(restarted.requeueActive()).isEqualTo(1);
    assertThat(dir.resolve("active/a.json")).as("stays active").exists();
    assertThat(restarted.poll(1)).as("backoff still holds").isEmpty();
    assertThat(restarted.nextDue()).contains(T0.plusSeconds(10));
    clock.set(T0.plusSeconds(10));
    Job again = restarted.poll(1).get(0);
    assertThat(again.attempt()).isEqualTo(2);
    assertThat(again.maxAttempts()).isEqualTo(3);
    restarted.completed(again, Outcome.failed("boom again"));
    assertThat(dir.resolve("failed/a.json")).exists();
    assertThat(dir.resolve("active/.a.json.attempt")).doesNotExist();
    JsonNode outcome = new ObjectMapper().readTree(dir.resolve("failed/a.outcome.json").toFile());
    assertThat(outcome.get("attempt").asInt()).isEqualTo(2);
  }

  @Test
  void fileRunningItsRetryWhenTheHostDiedIsResumedAtThatAttemptAtOnce() throws Exception {
    Spool s = spool(true);
    s.retry(dropAndClaim(s), Outcome.failed("boom"), T0.plusSeconds(1));
    clock.set(T0.plusSeconds(1));
    assertThat(s.poll(1)).extracting(Job::attempt).containsExactly(2);
    clock.set(T0.plusSeconds(60));
    Spool restarted = spool(true);
    restarted.requeueActive();
    assertThat(restarted.poll(1)).extracting(Job::attempt).containsExactly(2);
  }

  @Test
  void cancelledRetryKeepsItsAttemptNumberWhenClaimedAgain() throws Exception {
    Spool s = spool(true);
    s.retry(dropAndClaim(s), Outcome.failed("boom"), T0);
    Job second = s.poll(1).get(0);
    s.completed(second, Outcome.cancelled("host stopping"));
    assertThat(dir.resolve("incoming/a.json")).exists();
    assertThat(dir.resolve("incoming/.a.json.attempt")).exists();
    assertThat(s.poll(1)).extracting(Job::attempt).containsExactly(2);
    assertThat(dir.resolve("active/.a.json.attempt")).exists();
  }

  @Test
  void succeededRetryLeavesNoAttemptFileBehind() throws Exception {
    Spool s = spool(true);
    s.retry(dropAndClaim(s), Outcome.failed("boom"), T0);
    s.completed(s.poll(1).get(0), Outcome.succeeded());
    try (var left = Files.list(dir.resolve("active"))) {
      assertThat(left).isEmpty();
    }
    assertThat(dir.resolve("done/a.json")).exists();
  }

  @Test
  void unreadableAttemptFileStartsTheFileAgainAtAttemptOne() throws Exception {
    Files.createDirectories(dir.resolve("incoming"));
    Files.writeString(dir.resolve("incoming/.a.json.attempt"), "garbage");
    Spool s = spool(true);
    drop("a.json", COMMAND, T0.minusSeconds(1));
    assertThat(s.poll(1)).extracting(Job::attempt).containsExactly(1);
  }

  @Test
  void newFileWakesTheDispatcher() throws Exception {
    Spool s = spool(true);
    CountDownLatch woken = new CountDownLatch(1);
    SpoolWatcher w = new SpoolWatcher(s.incoming(), woken::countDown, () -> {});
    try {
      drop("a.json", COMMAND, T0);
      assertThat(woken.await(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      w.stop();
    }
  }

  @Test
  void aWatcherWhoseDirectoryIsDeletedSaysSoOnce() throws Exception {
    Path watchedDir = Files.createDirectory(dir.resolve("watched"));
    CountDownLatch lost = new CountDownLatch(1);
    SpoolWatcher w = new SpoolWatcher(watchedDir, () -> {}, lost::countDown);
    try {
      Files.delete(watchedDir);
      assertThat(lost.await(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      w.stop();
    }
  }
}
