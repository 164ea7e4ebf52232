package org.jobhost.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jobhost.api.Job;
import org.jobhost.api.Outcome;
import org.jobhost.api.SettingsException;
import org.jobhost.testkit.FakeHost;
import org.jobhost.testkit.ManualClock;
import org.jobhost.testkit.TestPluginContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolSourceTest {

  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
  private static final String JOB = "{\"type\": \"command\", \"params\": {\"shell\": \"true\"}}";

  @TempDir Path home;

  private final ManualClock clock = new ManualClock(T0);
  private final FakeHost host = new FakeHost();
  private final SpoolSource source = new SpoolSource();

  @AfterEach
  void close() throws Exception {
    source.close();
  }

  private SpoolSource started(Map<String, Object> values) throws Exception {
    source.init(
        TestPluginContext.builder("spool")
            .installation(home)
            .clock(clock)
            .host(host)
            .settings(values)
            .build());
    return source;
  }

  private Path drop(Path incoming, String name, Instant modified) throws Exception {
    Path f = incoming.resolve(name);
    Files.writeString(f, JOB);
    Files.setLastModifiedTime(f, FileTime.from(modified));
    return f;
  }

  @Test
  void defaultDirectoryIsSpoolUnderTheHomeWithItsFourSubdirectories() throws Exception {
    started(Map.of());
    for (String d : new String[] {"incoming", "active", "done", "failed"}) {
      assertThat(home.resolve("spool").resolve(d)).isDirectory();
    }
  }

  @Test
  void fileInTheConfiguredDirectoryIsPolledOnceOldEnough() throws Exception {
    started(Map.of("dir", "queue", "min_age", "2s"));
    drop(home.resolve("queue/incoming"), "a.json", T0.minusSeconds(1));
    assertThat(source.poll(4)).isEmpty();
    assertThat(source.nextDue()).contains(T0.plusSeconds(1));
    clock.set(T0.plusSeconds(1));
    assertThat(source.poll(4)).extracting(Job::id).containsExactly("a.json");
  }

  @Test
  void completedJobIsKeptInDoneUnlessKeepDoneIsFalse() throws Exception {
    started(Map.of("keep_done", false));
    drop(home.resolve("spool/incoming"), "a.json", T0.minusSeconds(1));
    source.completed(source.poll(1).get(0), Outcome.succeeded());
    assertThat(home.resolve("spool/done/a.json")).doesNotExist();
    assertThat(home.resolve("spool/active/a.json")).doesNotExist();
  }

  @Test
  void retryOfItsOwnJobIsTakenAndAStrangersIsNot() throws Exception {
    started(Map.of());
    drop(home.resolve("spool/incoming"), "a.json", T0.minusSeconds(1));
    Job job = source.poll(1).get(0);
    assertThat(source.retry(job, Outcome.failed("x"), T0.plusSeconds(2))).isTrue();
    assertThat(source.retry(new Job("b.json", "command", Map.of()), Outcome.failed("x"), T0))
        .isFalse();
  }

  @Test
  void filesLeftActiveAreRecoveredAtInit() throws Exception {
    Path active = Files.createDirectories(home.resolve("spool/active"));
    Files.writeString(active.resolve("a.json"), JOB);
    started(Map.of("min_age", "0s"));
    assertThat(home.resolve("spool/incoming/a.json")).exists();
  }

  @Test
  void underCheckFilesLeftActiveStayThereForTheDaemonThatMayRunThem() throws Exception {
    Path active = Files.createDirectories(home.resolve("spool/active"));
    Files.writeString(active.resolve("a.json"), JOB);
    source.init(
        TestPluginContext.builder("spool")
            .installation(home)
            .clock(clock)
            .host(host)
            .settings("min_age = \"0s\"")
            .checkOnly()
            .build());
    assertThat(active.resolve("a.json")).exists();
    assertThat(home.resolve("spool/incoming/a.json")).doesNotExist();
    assertThatThrownBy(
            () ->
                new SpoolSource()
                    .init(
                        TestPluginContext.builder("spool")
                            .installation(home)
                            .settings("keepdone = true")
                            .checkOnly()
                            .build()))
        .as("the settings are still checked")
        .isInstanceOf(SettingsException.class);
  }

  @Test
  void fileDroppedIntoIncomingWakesTheHost() throws Exception {
    started(Map.of());
    drop(home.resolve("spool/incoming"), "a.json", T0);
    await().atMost(Duration.ofSeconds(30)).until(() -> host.count("wake") > 0);
  }

  @Test
  void unknownSettingIsRejectedNamingTheKnownOnes() {
    assertThatThrownBy(() -> started(Map.of("keepdone", true)))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("plugins.spool.keepdone is not a known setting")
        .hasMessageContaining("[dir, keep_done, max_file_size, min_age]");
  }
}
