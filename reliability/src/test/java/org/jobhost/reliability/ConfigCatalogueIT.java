package org.jobhost.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jobhost.reliability.support.HostDir;
import org.jobhost.testsupport.Cli;
import org.jobhost.testsupport.Tree;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The configuration part of the bad-input catalogue: each broken file makes {@code jobhost check}
 * (and so a start) fail with the documented exit code, and the message names the key, the file and
 * line, and the fix. The table in {@code reliability/README.md} lists these cases.
 */
class ConfigCatalogueIT {

  @TempDir Path dir;

  /** A case: its name, the TOML added to a valid file, the exit code, the texts expected. */
  static Stream<Arguments> cases() {
    return Stream.of(
        c(
            "workers-zero",
            "max_workers = 0",
            78,
            "max_workers must be between 1 and 4096 (was 0)",
            "line",
            "set it to 1 or more"),
        c(
            "workers-string",
            "max_workers = \"four\"",
            78,
            "max_workers must be a whole number (was \"four\")",
            "write it without quotes"),
        c(
            "unknown-key",
            "max_worker = 3",
            78,
            "max_worker is not a known setting",
            "remove it or check its spelling"),
        c(
            "bad-duration",
            "[retry]\nbackoff = \"fast\"",
            78,
            "retry.backoff is invalid",
            "\"fast\"",
            "write it as"),
        c(
            "negative-duration",
            "[retry]\nmax_backoff = \"-1s\"",
            78,
            "retry.max_backoff is invalid",
            "\"-1s\""),
        c(
            "duration-number",
            "[types.x]\ntimeout = 5",
            78,
            "types.x.timeout must be a duration string (was 5)",
            "write it as"),
        c(
            "bad-dispatch",
            "dispatch = \"lifo\"",
            78,
            "dispatch must be one of [queue, batch] (was \"lifo\")",
            "use one of those"),
        c("toml-syntax", "max_workers = = 3", 78, "line 9 column 15", "fix the TOML syntax"),
        c(
            "duplicate-key",
            "max_workers = 2\nmax_workers = 3",
            78,
            "previously defined",
            "fix the TOML syntax"),
        c(
            "jitter-range",
            "[retry]\njitter = 2",
            78,
            "retry.jitter must be a number from 0 to 1",
            "(was 2)"),
        c(
            "attempts-range",
            "[retry]\nmax_attempts = 0",
            78,
            "retry.max_attempts must be a whole number from 1 to 1000 (was 0)"),
        c(
            "bad-isolation",
            "[types.x]\nisolation = \"vm\"",
            78,
            "types.x.isolation must be \"thread\" or \"process\" (was \"vm\")"),
        c(
            "bad-size",
            "[workers]\nmax_memory = \"lots\"",
            78,
            "workers.max_memory is invalid",
            "\"lots\" is not a size",
            "write it as \"256MB\""),
        c(
            "no-such-signal",
            "forward_signals = [\"NOPE\"]",
            78,
            "\"NOPE\" is not a Linux signal",
            "use a name such as USR2"),
        c(
            "reserved-signal",
            "forward_signals = [\"KILL\"]",
            78,
            "forward_signals cannot forward SIGKILL",
            "remove it"),
        c(
            "plugin-setting",
            "[plugins.spool]\nmin_age = \"soon\"",
            1,
            "plugins.spool.min_age is invalid",
            "\"soon\" is not a duration"),
        c(
            "cron-bad-timezone",
            "[[plugins.cron.tasks]]\nname = \"x\"\nschedule = \"* * * * *\"\ntype = \"command\"\n"
                + "timezone = \"Mars/Olympus\"",
            1,
            "timezone \"Mars/Olympus\" is no time zone",
            "use an id such as \"Europe/Berlin\""),
        c(
            "cron-bad-schedule",
            "[[plugins.cron.tasks]]\nname = \"x\"\nschedule = \"61 * * * *\"\ntype = \"command\"",
            1,
            "schedule of task x is invalid",
            "\"61 * * * *\"",
            "not in range [0, 59]"),
        c(
            "cron-bad-name",
            "[[plugins.cron.tasks]]\nname = \"a b\"\nschedule = \"* * * * *\"\ntype = \"command\"",
            1,
            "task name \"a b\" is invalid",
            "use 1 to 100 letters, digits"));
  }

  private static Arguments c(String name, String toml, int code, String... expected) {
    return Arguments.of(name, toml, code, List.of(expected));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void brokenConfigurationIsRefusedWithAMessageNamingTheKeyAndTheFix(
      String name, String toml, int code, List<String> expected) {
    Tree.root();
    HostDir host =
        toml.startsWith("[") ? HostDir.write(dir, "", toml) : HostDir.write(dir, toml, "");
    Cli check = Cli.jobhost(host.file(), "check");
    assertThat(check.code()).as(name + ": " + check.all()).isEqualTo(code);
    assertThat(check.all()).as(name).contains(expected);
    if (code == 78) {
      assertThat(check.all()).as(name + " names the file").contains(host.file().toString());
    }
  }
}
