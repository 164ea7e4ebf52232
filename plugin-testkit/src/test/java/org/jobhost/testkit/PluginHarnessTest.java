package org.jobhost.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jobhost.api.CliCommand;
import org.jobhost.api.HostListener;
import org.jobhost.api.Job;
import org.jobhost.api.JobRunner;
import org.jobhost.api.JobSource;
import org.jobhost.api.Outcome;
import org.jobhost.api.Signal;
import org.jobhost.api.SignalHook;
import org.jobhost.testkit.fixtures.CountingSource;
import org.jobhost.testkit.fixtures.EchoRunner;
import org.jobhost.testkit.fixtures.EndCounter;
import org.jobhost.testkit.fixtures.GreetCommand;
import org.jobhost.testkit.fixtures.NeedsToml;
import org.jobhost.testkit.fixtures.PauseOnWinch;
import org.jobhost.testkit.fixtures.QuitHook;
import org.jobhost.testkit.fixtures.SecondEchoRunner;
import org.jobhost.testkit.fixtures.StatusCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginHarnessTest {

  @TempDir Path dir;

  private PluginJar good() throws Exception {
    return new PluginJar("echo-plugin")
        .withClass(CountingSource.class)
        .withClass(EchoRunner.class)
        .withClass(PauseOnWinch.class)
        .withClass(EndCounter.class)
        .withService(JobSource.class, CountingSource.class)
        .withService(JobRunner.class, EchoRunner.class)
        .withService(SignalHook.class, PauseOnWinch.class)
        .withService(HostListener.class, EndCounter.class);
  }

  @Test
  void runsTheJobsOfAJarsSourcesThroughItsRunnerAndTellsTheSourceAndListeners() throws Exception {
    try (PluginHarness h = PluginHarness.forJar(good().write(dir)).settings("count = 3").load()) {
      h.assertNoProblems();
      assertThat(h.pluginId()).isEqualTo("echo-plugin");
      assertThat(h.types()).containsExactly("echo");

      List<Outcome> outcomes = h.runAll(10);

      assertThat(outcomes)
          .extracting(Outcome::output)
          .containsExactly("hello 3", "hello 2", "hello 1");
      assertThat(staticOf(h.extensions(JobSource.class).get(0), "COMPLETED"))
          .hasToString("[job-3 SUCCEEDED, job-2 SUCCEEDED, job-1 SUCCEEDED]");
      assertThat(staticOf(h.extensions(HostListener.class).get(0), "ENDED")).hasToString("3");
    }
  }

  @Test
  void sendsASignalToTheHooksBoundToItAndTheyReachTheHost() throws Exception {
    try (PluginHarness h = PluginHarness.forJar(good().write(dir)).load()) {
      assertThat(h.signal(Signal.USR2)).isZero();
      assertThat(h.signal(Signal.WINCH)).isEqualTo(1);
      assertThat(h.host().calls()).containsExactly("pause");
      assertThatThrownBy(() -> h.signal(Signal.KILL)).hasMessageContaining("reserves SIGKILL");
    }
  }

  @Test
  void reportsAHookOnAReservedSignalAndStillBindsItsOtherSignals() throws Exception {
    Path jar =
        new PluginJar("quit")
            .withClass(QuitHook.class)
            .withService(SignalHook.class, QuitHook.class)
            .write(dir);
    try (PluginHarness h = PluginHarness.forJar(jar).load()) {
      assertThat(h.problems())
          .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
          .contains("wants SIGQUIT, which the JVM reserves")
          .contains("USR2");
      assertThat(h.signal(Signal.USR2)).isEqualTo(1);
      assertThatThrownBy(h::assertNoProblems).hasMessageContaining("SIGQUIT");
    }
  }

  @Test
  void reportsTwoRunnersForOneTypeAndKeepsTheFirst() throws Exception {
    Path jar =
        new PluginJar("two")
            .withClass(EchoRunner.class)
            .withClass(SecondEchoRunner.class)
            .withService(JobRunner.class, EchoRunner.class, SecondEchoRunner.class)
            .write(dir);
    try (PluginHarness h = PluginHarness.forJar(jar).load()) {
      assertThat(h.problems())
          .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
          .isEqualTo(
              "job type \"echo\" is already run by two/EchoRunner; two/SecondEchoRunner is not"
                  + " used for it (remove one of the plugins, or disable one with [plugins.<id>]"
                  + " enabled = false)");
      assertThat(h.run(new Job("a", "echo", Map.of("text", "x"))).output()).isEqualTo("x");
    }
  }

  @Test
  void refusesACommandThatTakesABuiltInNameAndBindsTheOthers() throws Exception {
    Path jar =
        new PluginJar("cmds")
            .withClass(StatusCommand.class)
            .withClass(GreetCommand.class)
            .withService(CliCommand.class, StatusCommand.class, GreetCommand.class)
            .write(dir);
    try (PluginHarness h = PluginHarness.forJar(jar).load()) {
      assertThat(h.problems())
          .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
          .isEqualTo(
              "cmds/StatusCommand contributes the command \"status\", which is a built-in"
                  + " command of jobhost; the plugin's command is refused. Rename it in the"
                  + " plugin");
      assertThat(h.commands()).containsOnlyKeys("greet");
    }
  }

  @Test
  void reportsAServicesEntryNamingAClassThatDoesNotImplementTheInterface() throws Exception {
    Path jar =
        new PluginJar("wrong")
            .withClass(EchoRunner.class)
            .withClass(PauseOnWinch.class)
            .withService(JobRunner.class, EchoRunner.class, PauseOnWinch.class)
            .write(dir);
    try (PluginHarness h = PluginHarness.forJar(jar).load()) {
      assertThat(h.problems())
          .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
          .contains(
              "META-INF/services/org.jobhost.api.JobRunner lists "
                  + PauseOnWinch.class.getName()
                  + ", which does not implement org.jobhost.api.JobRunner");
    }
  }

  @Test
  void reportsAJarWithoutPluginId() throws Exception {
    Path jar =
        new PluginJar(null)
            .withClass(EchoRunner.class)
            .withService(JobRunner.class, EchoRunner.class)
            .write(dir);
    try (PluginHarness h = PluginHarness.forJar(jar).load()) {
      assertThat(h.problems()).singleElement().asString().contains("has no Plugin-Id");
      assertThat(h.types()).isEmpty();
    }
  }

  @Test
  void aLibraryMissingFromTheJarFailsAsInTheDaemonThoughTheTestClassPathHasIt() throws Exception {
    Path jar =
        new PluginJar("unshaded")
            .withClass(NeedsToml.class)
            .withService(HostListener.class, NeedsToml.class)
            .write(dir);
    try (PluginHarness h = PluginHarness.forJar(jar).load()) {
      assertThat(h.problems())
          .singleElement()
          .asString()
          .contains(NeedsToml.class.getName() + " failed to start")
          .contains("NoClassDefFoundError")
          .contains("org/tomlj/Toml");
    }
  }

  @Test
  void aReloadThatOneExtensionRejectsIsNotAppliedAndOneAllAcceptIs() throws Exception {
    try (PluginHarness h = PluginHarness.forJar(good().write(dir)).settings("count = 1").load()) {
      ReloadResult rejected = h.reload("count = -1\nprefix = \"no: \"");
      assertThat(rejected.applied()).isFalse();
      assertThat(rejected.rejections())
          .singleElement()
          .asString()
          .contains("plugins.echo-plugin.count must be 0 or more (settings.toml line 1)");
      assertThat(h.run(new Job("a", "echo", Map.of("text", "x"))).output()).isEqualTo("x");

      ReloadResult applied = h.reload("count = 1\nprefix = \"yes: \"");
      assertThat(applied.applied()).isTrue();
      assertThat(h.run(new Job("b", "echo", Map.of("text", "x"))).output()).isEqualTo("yes: x");
      assertThat(h.context().settings().string("prefix", "")).isEqualTo("yes: ");
    }
  }

  @Test
  void aJobPastItsDeadlineOnTheManualClockEndsTimedOut() throws Exception {
    try (PluginHarness h = PluginHarness.forJar(good().write(dir)).load()) {
      Job job = new Job("slow", "echo", Map.of("text", "wait"), Duration.ofSeconds(30));
      TestJobContext ctx = TestJobContext.of(job, h.clock());
      h.clock().advance(Duration.ofSeconds(30));

      assertThat(h.run(job, ctx).kind()).isEqualTo(Outcome.Kind.TIMED_OUT);
      TestJobContext stopped = TestJobContext.of(job);
      stopped.requestStop();
      assertThat(h.run(job, stopped).kind()).isEqualTo(Outcome.Kind.CANCELLED);
    }
  }

  @Test
  void aJobOfATypeThePluginDoesNotRunFailsAsInTheDaemon() throws Exception {
    try (PluginHarness h = PluginHarness.forJar(good().write(dir)).load()) {
      Outcome o = h.run(new Job("x", "other", Map.of()));
      assertThat(o.kind()).isEqualTo(Outcome.Kind.FAILED);
      assertThat(o.message()).contains("no runner for job type \"other\"");
    }
  }

  @Test
  void theClassPathModeFindsNothingWhenNoServicesAreListedAndSaysHowToListThem() {
    try (PluginHarness h = PluginHarness.forClassPath("none").load()) {
      assertThat(h.problems())
          .singleElement()
          .asString()
          .contains("contributes no extension")
          .contains("META-INF/services/org.jobhost.api.<ExtensionPoint>");
    }
  }

  private static Object staticOf(Object extension, String field) throws Exception {
    return extension.getClass().getField(field).get(null);
  }
}
