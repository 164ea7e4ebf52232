package org.jobhost.host.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import org.jobhost.api.CliCommand;
import org.jobhost.api.JobRunner;
import org.jobhost.api.Signal;
import org.jobhost.testsupport.PluginJar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the daemon, check and plugins all refuse, with the message an operator sees. */
class LoadProblemsTest {

  @TempDir Path dir;

  private static final String RUNNER =
      "package %s;\n"
          + "import java.util.*; import org.jobhost.api.*;\n"
          + "public class Run implements JobRunner {\n"
          + "  public Set<String> types() { return Set.of(\"shell\"); }\n"
          + "  public Outcome run(Job j, JobContext c) { return Outcome.succeeded(); }\n"
          + "}\n";

  private static final String COMMAND =
      "package %s;\n"
          + "import java.util.*; import org.jobhost.api.*;\n"
          + "public class Cmd implements CliCommand {\n"
          + "  public String name() { return \"%s\"; }\n"
          + "  public String summary() { return \"s\"; }\n"
          + "  public int run(List<String> a, Console c) { return 0; }\n"
          + "}\n";

  private static final String TERM_HOOK =
      "package acme;\n"
          + "import java.util.*; import org.jobhost.api.*;\n"
          + "public class Bell implements SignalHook {\n"
          + "  public Set<Signal> signals() { return Set.of(Signal.QUIT, Signal.USR2); }\n"
          + "  public void onSignal(SignalEvent e, Host h) {}\n"
          + "}\n";

  private static PluginReport report(Plugins p, String file) {
    return p.reports().stream()
        .filter(r -> r.file() != null && r.file().getFileName().toString().equals(file))
        .findFirst()
        .orElseThrow();
  }

  /** Writes a plugin {@code id} whose one runner is {@code pkg.Run}, as {@code file} in the dir. */
  private void runnerJar(String id, String pkg, String file) throws IOException {
    new PluginJar(id)
        .source(pkg + ".Run", RUNNER.formatted(pkg))
        .service("JobRunner", pkg + ".Run")
        .writeTo(dir.resolve(file));
  }

  /**
   * Writes plugin acme as {@code acme.jar}, whose runner {@code acme.Run} runs {@code body} at
   * init.
   */
  private void runnerJarWithInit(String body) throws IOException {
    new PluginJar("acme")
        .source(
            "acme.Run",
            RUNNER
                .formatted("acme")
                .replace(
                    "public Set<String> types()",
                    "public void init(PluginContext c) { "
                        + body
                        + " }\n  public Set<String> types()"))
        .service("JobRunner", "acme.Run")
        .writeTo(dir.resolve("acme.jar"));
  }

  private Plugins loadAndInit(Path d) {
    Plugins p = Plugins.load(d, id -> true);
    p.initAll(NoDaemonContext::new);
    return p;
  }

  @Test
  void aThirdPartyJarDeclaringABundledIdDoesNotDisplaceTheBundledOne() throws IOException {
    runnerJar("cron", "cron", "cron.jar");
    runnerJar("cron", "fake", "aaa.jar");

    Plugins p = Plugins.load(dir, id -> true);

    assertThat(p.of(JobRunner.class))
        .filteredOn(c -> c.pluginId().equals("cron"))
        .extracting(c -> c.extension().getClass().getName())
        .containsExactly("cron.Run");
    assertThat(report(p, "cron.jar").state()).isEqualTo("loaded");
    assertThat(report(p, "aaa.jar").state()).isEqualTo("duplicate");
    assertThat(report(p, "aaa.jar").problems())
        .containsExactly(
            "duplicate Plugin-Id cron: "
                + dir.resolve("aaa.jar")
                + " and "
                + dir.resolve("cron.jar")
                + " both declare it; "
                + dir.resolve("cron.jar")
                + " is loaded (named after the id, as the bundled plugins are), "
                + dir.resolve("aaa.jar")
                + " is not. Remove one of them, or choose with [plugins.cron] plugin_file ="
                + " \"aaa.jar\"");
  }

  @Test
  void withoutAFileNamedAfterTheIdTheFirstNameLoadsUnlessTheSiteChoosesAnother()
      throws IOException {
    runnerJar("x", "b", "b.jar");
    runnerJar("x", "c", "c.jar");

    Plugins byName = Plugins.load(dir, id -> true);
    Plugins chosen = Plugins.load(dir, id -> true, id -> id.equals("x") ? "c.jar" : null);

    assertThat(report(byName, "b.jar").state()).isEqualTo("loaded");
    assertThat(report(byName, "c.jar").problems().get(0)).contains("its name sorts first");
    assertThat(report(chosen, "c.jar").state()).isEqualTo("loaded");
    assertThat(report(chosen, "b.jar").problems().get(0))
        .contains("chosen with [plugins.x] plugin_file = \"c.jar\"");
  }

  @Test
  void aServicesEntryNamingAClassThatDoesNotImplementThePointIsReported() throws IOException {
    new PluginJar("acme")
        .source("acme.Run", RUNNER.formatted("acme"))
        .service("JobRunner", "acme.Run")
        .service("SignalHook", "acme.Run")
        .writeTo(dir.resolve("acme.jar"));

    Plugins p = Plugins.load(dir, id -> true);

    assertThat(report(p, "acme.jar").problems())
        .containsExactly(
            "META-INF/services/org.jobhost.api.SignalHook lists acme.Run, which does not"
                + " implement org.jobhost.api.SignalHook; it is not used as one. Implement the"
                + " interface, or remove the line");
    assertThat(p.of(JobRunner.class)).filteredOn(c -> c.pluginId().equals("acme")).hasSize(1);
  }

  @Test
  void aClassMissingAtInitGetsThePackagingHint() throws IOException {
    runnerJarWithInit("throw new NoClassDefFoundError(\"com/google/common/base/Strings\");");

    Plugins p = loadAndInit(dir);

    assertThat(report(p, "acme.jar").problems().get(0))
        .startsWith("acme.Run failed to start: java.lang.NoClassDefFoundError")
        .contains("the class com.google.common.base.Strings is missing at run time")
        .contains("Shade the library into the plugin jar");
  }

  @Test
  void aSettingsExceptionAtInitIsOneLineWithKeyAndPlace() throws IOException {
    runnerJarWithInit(
        "throw new SettingsException(\"plugins.acme.url\","
            + " \"plugins.acme.url is required (/etc/j.toml line 4)\");");

    Plugins p = loadAndInit(dir);

    assertThat(report(p, "acme.jar").problems())
        .containsExactly(
            "acme.Run failed to start: plugins.acme.url is required (/etc/j.toml line 4); it is"
                + " disabled");
  }

  @Test
  void bindingsRefuseAReservedSignalASecondRunnerAndClashingCommands() throws IOException {
    new PluginJar("a")
        .source("a.Run", RUNNER.formatted("a"))
        .source("acme.Bell", TERM_HOOK)
        .source("a.Cmd", COMMAND.formatted("a", "status"))
        .service("JobRunner", "a.Run")
        .service("SignalHook", "acme.Bell")
        .service("CliCommand", "a.Cmd")
        .writeTo(dir.resolve("a.jar"));
    new PluginJar("b")
        .source("b.Run", RUNNER.formatted("b"))
        .source("b.Cmd", COMMAND.formatted("b", "tasks"))
        .service("JobRunner", "b.Run")
        .service("CliCommand", "b.Cmd")
        .writeTo(dir.resolve("b.jar"));
    new PluginJar("c")
        .source("c.Cmd", COMMAND.formatted("c", "tasks"))
        .service("CliCommand", "c.Cmd")
        .writeTo(dir.resolve("c.jar"));

    Plugins p = Plugins.load(dir, id -> true);
    Bindings b = Bindings.bind(p, Set.of("status", "run"));

    assertThat(b.runners()).containsKey("shell");
    assertThat(b.runners().get("shell").pluginId()).isEqualTo("a");
    assertThat(b.hooks()).containsKey(Signal.USR2).doesNotContainKey(Signal.QUIT);
    assertThat(b.commands()).containsKey("tasks").doesNotContainKey("status");
    assertThat(b.commands().get("tasks").pluginId()).isEqualTo("b");
    assertThat(report(p, "a.jar").problems())
        .anySatisfy(m -> assertThat(m).contains("wants SIGQUIT, which the JVM reserves"))
        .anySatisfy(
            m ->
                assertThat(m)
                    .isEqualTo(
                        "a/Cmd contributes the command \"status\", which is a built-in command of"
                            + " jobhost; the plugin's command is refused. Rename it in the"
                            + " plugin"));
    assertThat(report(p, "b.jar").problems())
        .containsExactly(
            "job type \"shell\" is already run by a/Run; b/Run is not used for it (remove one of"
                + " the plugins, or disable one with [plugins.<id>] enabled = false)");
    assertThat(report(p, "c.jar").problems())
        .containsExactly(
            "c/Cmd contributes the command \"tasks\", which b/Cmd already contributes; the second"
                + " is refused. Rename one, or disable a plugin with [plugins.<id>] enabled ="
                + " false");
    assertThat(p.of(CliCommand.class)).filteredOn(c -> !c.pluginId().equals("host")).hasSize(3);
  }
}
