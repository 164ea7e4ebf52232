package org.jobhost.host.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jobhost.api.PluginSettings;
import org.jobhost.api.Signal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @TempDir Path home;

  private Path write(String toml) throws IOException {
    Path file = home.resolve("jobhost.toml");
    Files.writeString(file, toml);
    return file;
  }

  private Config load(String toml) throws IOException {
    return new ConfigLoader(home, Map.of()).load(write(toml), List.of());
  }

  @Test
  void noFileGivesTheDefaults() {
    Config c = new ConfigLoader(home, Map.of()).load(null, List.of());
    assertThat(c.file()).isNull();
    assertThat(c.maxWorkers()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(c.timeouts().idle()).isEqualTo(Defaults.IDLE_TIME);
    assertThat(c.timeouts().grace()).isEqualTo(Defaults.GRACE_TIMEOUT);
    assertThat(c.timeouts().kill()).isEqualTo(Defaults.KILL_TIMEOUT);
    assertThat(c.dispatch()).isEqualTo(DispatchMode.QUEUE);
    assertThat(c.dirs().plugins()).isEqualTo(home.resolve("plugins"));
    assertThat(c.dirs().logs()).isEqualTo(home.resolve("logs"));
    assertThat(c.service().pidFile()).isEqualTo(home.resolve("run/jobhost.pid"));
  }

  @Test
  void readsEveryTopLevelKey() throws IOException {
    Config c =
        load(
            "max_workers = 3\nidle_time = \"250ms\"\ngrace_timeout = \"7s\"\nkill_timeout = \"2s\"\n"
                + "dispatch = \"batch\"\nplugins_dir = \"/opt/p\"\nlog_dir = \"l\"\nstrict = true\n"
                + "forward_signals = [\"HUP\", \"SIGUSR1\"]\npause_children = true\n");
    assertThat(c.maxWorkers()).isEqualTo(3);
    assertThat(c.timeouts().idle()).isEqualTo(Duration.ofMillis(250));
    assertThat(c.timeouts().grace()).isEqualTo(Duration.ofSeconds(7));
    assertThat(c.timeouts().kill()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.dispatch()).isEqualTo(DispatchMode.BATCH);
    assertThat(c.dirs().plugins()).isEqualTo(Path.of("/opt/p"));
    assertThat(c.dirs().logs()).isEqualTo(home.resolve("l"));
    assertThat(c.strict()).isTrue();
    assertThat(c.forwardSignals()).containsExactlyInAnyOrder(Signal.HUP, Signal.USR1);
    assertThat(c.pauseChildren()).isTrue();
  }

  @Test
  void logFormatIsTextByDefaultJsonWhenAskedAndOtherwiseAnErrorNamingTheChoices()
      throws IOException {
    assertThat(load("").service().logFormat()).isEqualTo(LogFormat.TEXT);
    assertThat(load("log_format = \"json\"").service().logFormat()).isEqualTo(LogFormat.JSON);
    Path file = write("log_format = \"xml\"\n");
    Throwable e =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> new ConfigLoader(home, Map.of()).load(file, List.of()));
    assertThat(e)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "log_format must be one of [text, json] (was \"xml\") in " + file + " line 1");
  }

  @Test
  void pidFileFollowsTheRunDirectoryUnlessSet() throws IOException {
    assertThat(load("run_dir = \"/srv/run\"").service().pidFile())
        .isEqualTo(Path.of("/srv/run/jobhost.pid"));
    assertThat(load("run_dir = \"/srv/run\"\npid_file = \"/tmp/x.pid\"").service().pidFile())
        .isEqualTo(Path.of("/tmp/x.pid"));
  }

  @Test
  void outOfRangeValueNamesKeyFileLineValueAndFix() throws IOException {
    Path file = write("# workers\n\n\nmax_workers = 0\n");
    assertThatThrownBy(() -> new ConfigLoader(home, Map.of()).load(file, List.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "max_workers must be between 1 and 4096 (was 0) in "
                + file
                + " line 4; set it to 1 or more");
  }

  @Test
  void everyProblemIsReportedTogether() throws IOException {
    Path file =
        write(
            "max_workers = \"four\"\nidle_time = 5\ndispatch = \"fifo\"\ncolour = \"blue\"\n[types.x]\ntimeout = \"soon\"\n");
    ConfigException e =
        (ConfigException)
            org.assertj.core.api.Assertions.catchThrowable(
                () -> new ConfigLoader(home, Map.of()).load(file, List.of()));
    assertThat(e.problems()).hasSize(5);
    assertThat(e.getMessage())
        .contains("5 problems in the configuration " + file)
        .contains("max_workers must be a whole number (was \"four\") in " + file + " line 1")
        .contains("idle_time must be a duration string (was 5) in " + file + " line 2")
        .contains("dispatch must be one of [queue, batch] (was \"fifo\") in " + file + " line 3")
        .contains("colour is not a known setting in " + file + " line 4")
        .contains("types.x.timeout is invalid: \"soon\" is not a duration");
  }

  @Test
  void aMisspelledRetryKeyIsReportedNotIgnored() throws IOException {
    Path file = write("[retry]\nmax_attempt = 3\nbackoff = \"2s\"\n");
    assertThatThrownBy(() -> new ConfigLoader(home, Map.of()).load(file, List.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("retry.max_attempt is not a known setting in " + file + " line 2")
        .hasMessageContaining("max_attempts");
  }

  @Test
  void tomlSyntaxErrorNamesLineAndColumn() throws IOException {
    Path file = write("max_workers = 2\nidle_time = \"1s\n");
    assertThatThrownBy(() -> new ConfigLoader(home, Map.of()).load(file, List.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(file + " line 2 column");
  }

  @Test
  void explicitlyNamedMissingFileIsAnError() {
    Path missing = home.resolve("nope.toml");
    assertThatThrownBy(() -> new ConfigLoader(home, Map.of()).load(missing, List.of()))
        .hasMessageContaining("configuration file " + missing + " does not exist");
  }

  @Test
  void environmentOverridesTheFileAndCommandLineOverridesBoth() throws IOException {
    Path file = write("max_workers = 2\nidle_time = \"1s\"\n");
    ConfigLoader loader =
        new ConfigLoader(home, Map.of("JOBHOST_MAX_WORKERS", "5", "JOBHOST_IDLE_TIME", "3s"));
    Config c = loader.load(file, List.of("max_workers=7"));
    assertThat(c.maxWorkers()).isEqualTo(7);
    assertThat(c.timeouts().idle()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void badEnvironmentValueNamesTheVariable() {
    ConfigLoader loader = new ConfigLoader(home, Map.of("JOBHOST_MAX_WORKERS", "many"));
    assertThatThrownBy(() -> loader.load(null, List.of()))
        .hasMessageContaining(
            "max_workers must be a whole number (was \"many\") in environment variable JOBHOST_MAX_WORKERS");
  }

  @Test
  void configFileComesFromTheEnvironmentWhenNotNamed() throws IOException {
    Path file = write("max_workers = 9\n");
    Config c =
        new ConfigLoader(home, Map.of("JOBHOST_CONFIG", file.toString())).load(null, List.of());
    assertThat(c.maxWorkers()).isEqualTo(9);
  }

  @Test
  void typeSectionsCarryTimeoutRetryAndIsolation() throws IOException {
    Config c =
        load(
            "[retry]\nmax_attempts = 2\n[types.mail]\ntimeout = \"30s\"\nmax_attempts = 5\nbackoff = \"10s\"\nisolation = \"process\"\n");
    TypeConfig mail = c.type("mail");
    assertThat(mail.timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(mail.retry().maxAttempts()).isEqualTo(5);
    assertThat(mail.retry().backoff()).isEqualTo(Duration.ofSeconds(10));
    assertThat(mail.isolation()).isEqualTo(Isolation.PROCESS);
    assertThat(c.type("other").retry().maxAttempts()).isEqualTo(2);
    assertThat(c.type("other").timeout()).isNull();
  }

  @Test
  void pluginSectionsReachPluginsAsPlainValuesWithTheirPlace() throws IOException {
    Path file =
        write(
            "[plugins.cron]\nkeep = 3\n\n[[plugins.cron.tasks]]\nname = \"a\"\nparams = { shell = \"true\" }\n");
    Config c = new ConfigLoader(home, Map.of()).load(file, List.of());
    PluginSettings cron = c.pluginSettings("cron");
    assertThat(cron.integer("keep", 0)).isEqualTo(3);
    PluginSettings task = cron.tables("tasks").get(0);
    assertThat(task.table("params").string("shell")).hasValue("true");
    assertThatThrownBy(() -> task.integer("name", 0))
        .hasMessage(
            "plugins.cron.tasks[0].name must be a whole number (was the string \"a\") ("
                + file
                + " line 5)");
  }

  @Test
  void reservedSignalCannotBeForwarded() {
    assertThatThrownBy(() -> load("forward_signals = [\"KILL\"]"))
        .hasMessageContaining("cannot forward SIGKILL: the JVM reserves it");
  }

  @Test
  void retryDelayDoublesUpToTheCapWithJitterAroundIt() {
    RetryPolicy p = new RetryPolicy(10, Duration.ofSeconds(1), Duration.ofSeconds(5), 0.2);
    assertThat(p.delayBefore(2, 0.5)).isEqualTo(Duration.ofSeconds(1));
    assertThat(p.delayBefore(3, 0.5)).isEqualTo(Duration.ofSeconds(2));
    assertThat(p.delayBefore(4, 0.5)).isEqualTo(Duration.ofSeconds(4));
    assertThat(p.delayBefore(9, 0.5)).isEqualTo(Duration.ofSeconds(5));
    assertThat(p.delayBefore(2, 0.0)).isEqualTo(Duration.ofMillis(800));
    assertThat(p.delayBefore(2, 0.999999)).isEqualTo(Duration.ofMillis(1200));
  }

  @Test
  void aFileTheTomlLibraryTripsOverIsAConfigurationErrorNamingTheFile() throws Exception {
    // With assertions on (as in tests), tomlj 2.2.0 fails its own assertion on this header.
    Path bad = home.resolve("tripping.toml");
    Files.writeString(bad, "[[a #\u0000\n");

    assertThatThrownBy(() -> new ConfigLoader(home, Map.of()).load(bad, List.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(bad.toString())
        .hasMessageContaining("fix the TOML syntax");
  }

  @Test
  void aFileThatIsNotUtf8IsNamedAsSuchNotAsAPermissionProblem() throws Exception {
    Path latin1 = home.resolve("latin1.toml");
    Files.write(latin1, new byte[] {'x', ' ', '=', ' ', '"', (byte) 0xe9, '"', '\n'});

    assertThatThrownBy(() -> new ConfigLoader(home, Map.of()).load(latin1, List.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(latin1 + " is not UTF-8 text")
        .hasMessageNotContaining("permissions");
  }
}
