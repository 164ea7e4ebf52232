package org.jobhost.host.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jobhost.api.Signal;
import org.junit.jupiter.api.Test;
import org.tomlj.Toml;

class SettingReaderTest {

  private static final String WHERE = "/etc/jobhost/jobhost.toml line 4";

  private final Problems problems = new Problems();
  private final SettingReader read = new SettingReader(problems);

  private static Setting file(String key, Object value) {
    return new Setting(key, value, WHERE, false);
  }

  private static Setting env(String key, String value) {
    return new Setting(key, value, "environment variable JOBHOST_" + key.toUpperCase(), true);
  }

  private static Object toml(String literal) {
    return Toml.parse("v = " + literal).get("v");
  }

  @Test
  void anAbsentSettingGivesTheFallbackAndNoProblem() {
    assertThat(read.integer(null, 7, 1, 10)).isEqualTo(7);
    assertThat(read.duration(null, Duration.ofSeconds(3), Duration.ZERO))
        .isEqualTo(Duration.ofSeconds(3));
    assertThat(read.bool(null, true)).isTrue();
    assertThat(read.optionalString(null)).isNull();
    assertThat(problems.isEmpty()).isTrue();
  }

  @Test
  void aWholeNumberOutOfRangeNamesTheRangeThePlaceAndTheFix() {
    assertThat(read.integer(file("max_workers", 0L), 4, 1, 4096)).isEqualTo(4);
    assertThat(problems.list())
        .containsExactly(
            "max_workers must be between 1 and 4096 (was 0) in " + WHERE + "; set it to 1 or more");
  }

  @Test
  void theRangeEndsAreAllowed() {
    assertThat(read.integer(file("n", 1L), 4, 1, 4096)).isEqualTo(1);
    assertThat(read.integer(file("n", 4096L), 4, 1, 4096)).isEqualTo(4096);
    assertThat(read.wholeNumberFrom(file("n", 1000L), 3, 1, 1000, "fix")).isEqualTo(1000);
    assertThat(problems.isEmpty()).isTrue();
  }

  @Test
  void aQuotedNumberInTheFileIsNoWholeNumberButFromTheEnvironmentItIs() {
    assertThat(read.integer(env("max_workers", " 8 "), 4, 1, 4096)).isEqualTo(8);
    assertThat(read.integer(file("max_workers", "8"), 4, 1, 4096)).isEqualTo(4);
    assertThat(problems.list())
        .containsExactly(
            "max_workers must be a whole number (was \"8\") in "
                + WHERE
                + "; write it without quotes, such as max_workers = 4");
  }

  @Test
  void aSectionNumberHasOneMessageForAnyBadValue() {
    read.wholeNumberFrom(file("retry.max_attempts", 0L), 3, 1, 1000, "1 means no retry");
    read.wholeNumberFrom(file("retry.max_attempts", "x"), 3, 1, 1000, "1 means no retry");
    assertThat(problems.list())
        .containsExactly(
            "retry.max_attempts must be a whole number from 1 to 1000 (was 0) in "
                + WHERE
                + "; 1 means no retry",
            "retry.max_attempts must be a whole number from 1 to 1000 (was \"x\") in "
                + WHERE
                + "; 1 means no retry");
  }

  @Test
  void aDurationBelowItsMinimumOrUnparseableIsAProblem() {
    assertThat(read.duration(file("idle_time", "0s"), Duration.ofSeconds(5), Duration.ofMillis(1)))
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(read.duration(file("idle_time", 5L), Duration.ofSeconds(5), Duration.ZERO))
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(read.duration(file("idle_time", "2m"), Duration.ofSeconds(5), Duration.ZERO))
        .isEqualTo(Duration.ofMinutes(2));
    assertThat(problems.list())
        .containsExactly(
            "idle_time must be at least 1ms (was 0s) in " + WHERE + "; raise it",
            "idle_time must be a duration string (was 5) in "
                + WHERE
                + "; write it as \"500ms\", \"5s\" or \"2m\"");
  }

  @Test
  void aFractionIsFromZeroToOne() {
    assertThat(read.fraction(file("j", 0.25), 0.2, "fix")).isEqualTo(0.25);
    assertThat(read.fraction(file("j", 1L), 0.2, "fix")).isEqualTo(1.0);
    assertThat(read.fraction(file("retry.jitter", 1.5), 0.2, "0.2 spreads waits by ±20%"))
        .isEqualTo(0.2);
    assertThat(problems.list())
        .containsExactly(
            "retry.jitter must be a number from 0 to 1 (was 1.5) in "
                + WHERE
                + "; 0.2 spreads waits by ±20%");
  }

  @Test
  void aSizeBelowItsMinimumIsAProblem() {
    long mb = 1024L * 1024;
    assertThat(read.size(file("m", "256MB"), 512 * mb, 16 * mb, "16MB", "\"256MB\""))
        .isEqualTo(256 * mb);
    assertThat(read.size(file("workers.max_memory", "1MB"), 512 * mb, 16 * mb, "16MB", "\"256MB\""))
        .isEqualTo(512 * mb);
    assertThat(problems.list())
        .containsExactly(
            "workers.max_memory must be at least 16MB (was \"1MB\") in " + WHERE + "; raise it");
  }

  @Test
  void enumValuesAreReadInAnyCaseButEitherIsExact() {
    assertThat(read.enumValue(file("dispatch", " BATCH "), DispatchMode.class, DispatchMode.QUEUE))
        .isEqualTo(DispatchMode.BATCH);
    assertThat(
            read.either(
                file("types.x.isolation", "PROCESS"),
                Isolation.THREAD,
                "thread",
                Isolation.THREAD,
                "process",
                Isolation.PROCESS))
        .isEqualTo(Isolation.THREAD);
    assertThat(problems.list())
        .containsExactly(
            "types.x.isolation must be \"thread\" or \"process\" (was \"PROCESS\") in "
                + WHERE
                + "; use one of those");
  }

  @Test
  void booleansFromTheEnvironmentAreWordsButInTheFileMustBeUnquoted() {
    assertThat(read.bool(env("strict", "true"), false)).isTrue();
    assertThat(read.bool(file("strict", "true"), false)).isFalse();
    assertThat(problems.list()).hasSize(1).first().asString().startsWith("strict must be true");
  }

  @Test
  void stringArraysAndSignalsAreChecked() {
    assertThat(read.strings(file("o", toml("[\"-Xmx1g\"]")), List.of(), "x"))
        .containsExactly("-Xmx1g");
    assertThat(read.strings(file("o", toml("[1]")), List.of("d"), "[\"-Xmx256m\"]"))
        .containsExactly("d");
    assertThat(read.signals(file("forward_signals", toml("[\"HUP\", \"KILL\"]"))))
        .containsExactly(Signal.HUP);
    assertThat(problems.list())
        .containsExactly(
            "o must be an array of strings (was an array) in "
                + WHERE
                + "; write it as [\"-Xmx256m\"]",
            "forward_signals cannot forward SIGKILL: the JVM reserves it in "
                + WHERE
                + "; remove it");
  }

  @Test
  void pathsResolveAgainstTheHome() {
    Path home = Path.of("/opt/jobhost");
    assertThat(read.path(file("log_dir", "logs/../log"), home, "x")).isEqualTo(home.resolve("log"));
    assertThat(read.path(null, home, "plugins")).isEqualTo(home.resolve("plugins"));
    assertThat(read.path(file("log_dir", ""), home, "log")).isEqualTo(home.resolve("log"));
    assertThat(problems.list()).hasSize(1);
  }
}
