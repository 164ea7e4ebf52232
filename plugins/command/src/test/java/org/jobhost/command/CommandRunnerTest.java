package org.jobhost.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.jobhost.api.Job;
import org.jobhost.api.JobRunner;
import org.jobhost.api.Outcome;
import org.jobhost.api.PluginSettings;
import org.jobhost.api.SettingsException;
import org.jobhost.testkit.TestJobContext;
import org.jobhost.testkit.TestPluginContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandRunnerTest {

  private static final Duration DRAIN_TIMEOUT = Duration.ofMillis(300);

  @TempDir Path home;

  private final List<TestJobContext> contexts = new ArrayList<>();
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private CommandRunner runner;

  @BeforeEach
  void setUp() {
    runner = new CommandRunner(DRAIN_TIMEOUT);
    runner.init(pluginContext(Map.of()));
  }

  @AfterEach
  void tearDown() throws Exception {
    executor.shutdownNow();
    for (TestJobContext context : contexts) {
      context.destroyProcesses();
    }
  }

  private TestJobContext context(Map<String, String> params) {
    return context(params, Duration.ofSeconds(1));
  }

  private TestJobContext context(Map<String, String> params, Duration killTimeout) {
    TestJobContext context =
        TestJobContext.of(new Job("j" + (contexts.size() + 1), "command", params))
            .withKillTimeout(killTimeout)
            .withProcessGroups();
    contexts.add(context);
    return context;
  }

  private TestPluginContext pluginContext(Map<String, Object> settings) {
    return TestPluginContext.builder("command")
        .installation(home)
        .clock(Clock.systemUTC())
        .settings(settings)
        .build();
  }

  private Outcome run(Map<String, String> params) throws Exception {
    TestJobContext context = context(params);
    return runner.run(context.job(), context);
  }

  /** Runs the job on another thread, so that the test can watch or stop it meanwhile. */
  private Future<Outcome> runInBackground(TestJobContext context) {
    return executor.submit(() -> runner.run(context.job(), context));
  }

  /** A failed outcome with exactly this message, exit code and output. */
  private static void assertFailed(Outcome outcome, String message, int exitCode, String output) {
    assertThat(outcome.kind()).isEqualTo(Outcome.Kind.FAILED);
    assertThat(outcome.message()).isEqualTo(message);
    assertThat(outcome.exitCode()).hasValue(exitCode);
    assertThat(outcome.output()).isEqualTo(output);
  }

  /** A failed outcome whose message and output hold these parts. */
  private static void assertFailedContaining(
      Outcome outcome, String messagePart, String outputPart) {
    assertThat(outcome.kind()).isEqualTo(Outcome.Kind.FAILED);
    assertThat(outcome.message()).contains(messagePart);
    assertThat(outcome.output()).contains(outputPart);
  }

  @Test
  void runnerIsRegisteredAsAJobRunnerServiceForTypeCommand() {
    assertThat(ServiceLoader.load(JobRunner.class))
        .anySatisfy(r -> assertThat(r).isInstanceOf(CommandRunner.class));
    assertThat(runner.types()).containsExactly("command");
  }

  @Test
  void argvRunsTheProgramWithItsQuotedArguments() throws Exception {
    Outcome outcome = run(Map.of("argv", "printf '%s|' 'a b' \"c \\\"d\\\"\" $HOME"));
    assertThat(outcome.kind()).isEqualTo(Outcome.Kind.SUCCEEDED);
    assertThat(outcome.output()).isEqualTo("a b|c \"d\"|$HOME|");
  }

  @Test
  void numberedArgvPassesArgumentsExactly() throws Exception {
    Outcome outcome =
        run(
            Map.of(
                "argv.0", "printf", "argv.1", "[%s]\\n", "argv.2", "it's \"q\" $x", "argv.3", ""));
    assertThat(outcome.output()).isEqualTo("[it's \"q\" $x]\n[]");
  }

  @Test
  void shellRunsTheCommandLineWithStderrMergedInOrder() throws Exception {
    Outcome outcome = run(Map.of("shell", "echo out; echo err >&2; echo a b | tr a-z A-Z"));
    assertThat(outcome.isSuccess()).isTrue();
    assertThat(outcome.output()).isEqualTo("out\nerr\nA B");
  }

  @Test
  void nonZeroExitFailsWithTheCodeAndTheTail() throws Exception {
    assertFailed(run(Map.of("shell", "echo bye; exit 3")), "exited with code 3", 3, "bye");
  }

  @Test
  void processKilledBySignalFailsNamingTheSignal() throws Exception {
    assertFailed(
        run(Map.of("argv", "sh -c 'echo dying; kill -KILL $$'")),
        "killed by signal KILL (9)",
        137,
        "dying");
  }

  @Test
  void envCwdAndStdinReachTheChildAndTheEnvironmentIsInherited() throws Exception {
    Path work = Files.createDirectories(home.resolve("work"));
    Outcome outcome =
        run(
            Map.of(
                "shell", "echo \"$GREETING\"; pwd; cat; echo \"${PATH:+inherited}\"",
                "env.GREETING", "hello",
                "cwd", "work",
                "stdin", "line one\nline two\n"));
    assertThat(outcome.output())
        .isEqualTo("hello\n" + work.toRealPath() + "\nline one\nline two\ninherited");
  }

  @Test
  void withoutStdinTheChildReadsEndOfFile() throws Exception {
    Outcome outcome = run(Map.of("shell", "cat; echo \"eof after $(wc -c < /dev/stdin) bytes\""));
    assertThat(outcome.output()).isEqualTo("eof after 0 bytes");
  }

  @Test
  void missingProgramFailsNamingItWithoutStartingAnything() throws Exception {
    TestJobContext context = context(Map.of("argv", "no-such-program-42 --flag"));
    Outcome outcome = runner.run(context.job(), context);
    assertThat(outcome.kind()).isEqualTo(Outcome.Kind.FAILED);
    assertThat(outcome.message())
        .startsWith("job j1: program \"no-such-program-42\" is not found on PATH (");
    assertThat(outcome.exitCode()).isEmpty();
  }

  @Test
  void missingWorkingDirectoryFailsNamingIt() throws Exception {
    Outcome outcome = run(Map.of("argv", "ls", "cwd", "/no/such/dir"));
    assertThat(outcome.message())
        .isEqualTo(
            "job j1: working directory /no/such/dir (param cwd) does not exist or is not a"
                + " directory; create it or fix cwd");
  }

  @Test
  void jobWithNeitherArgvNorShellFailsNamingTheJobAndTheFix() throws Exception {
    Outcome outcome = run(Map.of("stdin", "x"));
    assertThat(outcome.kind()).isEqualTo(Outcome.Kind.FAILED);
    assertThat(outcome.message())
        .startsWith("job j1: it has neither argv nor shell; set argv (or argv.0, argv.1, ...)");
  }

  @Test
  void jobWithBothArgvAndShellFailsNamingTheJobAndTheFix() throws Exception {
    Outcome outcome = run(Map.of("argv", "true", "shell", "true"));
    assertThat(outcome.message())
        .startsWith("job j1: it has both argv and shell; keep argv to run a program");
  }

  @Test
  void outputLinesGoToTheJobOutputLoggerWithTheJobId() throws Exception {
    try (LogCapture log = LogCapture.jobOutput()) {
      run(Map.of("shell", "echo first; echo second >&2"));
      assertThat(log.messages()).containsExactly("first", "second");
      assertThat(log.jobIds()).containsExactly("j1");
    }
  }

  @Test
  void hundredMegabytesOfOutputAreCappedWithFlatMemory() throws Exception {
    String line = "xxxxxxxxxxxxxxxxxxx";
    TestJobContext context =
        context(Map.of("shell", "yes " + line + " | head -c 100000000; echo done"));
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    try (LogCapture log = LogCapture.jobOutput()) {
      System.gc();
      long before = memory.getHeapMemoryUsage().getUsed();
      long peak = before;
      Future<Outcome> job = runInBackground(context);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      Outcome outcome = null;
      while (outcome == null) {
        try {
          outcome = job.get(200, TimeUnit.MILLISECONDS);
        } catch (TimeoutException stillRunning) {
          assertThat(System.nanoTime()).as("job still running after 120s").isLessThan(deadline);
        }
        System.gc();
        peak = Math.max(peak, memory.getHeapMemoryUsage().getUsed());
      }

      assertThat(outcome.isSuccess()).isTrue();
      assertThat(outcome.output().split("\n", -1))
          .hasSize(20)
          .startsWith(line)
          .endsWith(line, "done");
      long loggedLines = CommandSettings.DEFAULT_OUTPUT_LIMIT / (line.length() + 1);
      assertThat(log.markers())
          .containsExactly(
              "[output truncated after " + loggedLines * (line.length() + 1) + " bytes]");
      assertThat(log.count()).isEqualTo(loggedLines + 1);
      assertThat(peak - before).as("heap growth in bytes").isLessThan(50L << 20);
    }
  }

  @Test
  void noHostFileDescriptorLeaksIntoTheChild() throws Exception {
    Path file = Files.writeString(home.resolve("held-open.txt"), "x");
    try (FileChannel held = FileChannel.open(file);
        Stream<Path> hostFds = Files.list(Path.of("/proc/self/fd"))) {
      assertThat(hostFds.count()).as("descriptors open in the test JVM").isGreaterThan(5);
      Outcome outcome = run(Map.of("argv", "ls /proc/self/fd"));
      // 0-2 are stdin, the merged output and its copy; 3 is the directory ls is reading.
      assertThat(outcome.output().split("\n")).containsExactly("0", "1", "2", "3");
      assertThat(held.isOpen()).isTrue();
    }
  }

  @Test
  void interruptionWithATermedGroupEndsTheRunBeforeTheKillTimeoutKeepingTheOutput()
      throws Exception {
    Path written = home.resolve("written");
    // A kill timeout (and sleep) far beyond the wait below: only the TERM can end the run in time.
    TestJobContext context =
        context(
            Map.of("shell", "echo before; touch '" + written + "'; exec sleep 600"),
            Duration.ofMinutes(10));
    Future<Outcome> job = runInBackground(context);
    context.awaitProcessStarted(Duration.ofSeconds(10));
    // The child must have written before the stop: a spawned process has not yet run its first
    // command, and a TERM then ends it with nothing to keep (the cause of an earlier flaky run).
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> Files.exists(written));
    context.stopNow();
    // The TERM ends the group at once; waiting for the kill timeout or for the sleep would be the
    // defect, and would not end within this bound.
    assertFailedContaining(job.get(60, TimeUnit.SECONDS), "TERM", "before");
  }

  @Test
  void anInterruptAfterTheProcessExitedKeepsItsOutcomeAndOutput() throws Exception {
    // The exited shell leaves a background child holding the output open, so the runner is
    // waiting for the output's end when the interrupt comes (a stop whose TERM already ended
    // the process): the outcome and the output read so far must survive it.
    TestJobContext context = context(Map.of("shell", "echo before; sleep 3 & exit 3"));
    CommandRunner patient = new CommandRunner(Duration.ofSeconds(5));
    patient.init(pluginContext(Map.of()));
    Thread[] runnerThread = new Thread[1];
    Future<Outcome> job =
        executor.submit(
            () -> {
              runnerThread[0] = Thread.currentThread();
              return patient.run(context.job(), context);
            });
    Process shell = context.awaitProcessStarted(Duration.ofSeconds(10));
    assertThat(shell.waitFor(30, TimeUnit.SECONDS)).as("the shell exits").isTrue();
    Thread.sleep(100);
    runnerThread[0].interrupt();
    assertFailedContaining(job.get(30, TimeUnit.SECONDS), "exited with code 3", "before");
  }

  @Test
  void stopFlagAloneLetsTheProcessFinish() throws Exception {
    TestJobContext context = context(Map.of("shell", "sleep 0.5; echo done"));
    Future<Outcome> job = runInBackground(context);
    context.awaitProcessStarted(Duration.ofSeconds(10));
    context.requestStop();
    Outcome outcome = job.get(5, TimeUnit.SECONDS);
    assertThat(outcome.isSuccess()).isTrue();
    assertThat(outcome.output()).isEqualTo("done");
  }

  @Test
  void backgroundChildHoldingTheOutputDoesNotHoldTheJob() throws Exception {
    // The trailing sleep makes the reader block in read() before sh exits, so the pipe stays
    // open (held by the background sleep) instead of being drained by the JDK at exit. Waiting
    // for the background sleep would be the defect, and would not end within the bound.
    TestJobContext context = context(Map.of("shell", "sleep 600 & echo started; sleep 0.2"));
    Future<Outcome> job = runInBackground(context);
    Outcome outcome = job.get(60, TimeUnit.SECONDS);
    assertThat(outcome.isSuccess()).isTrue();
    assertThat(outcome.output()).isEqualTo("started");
  }

  @Test
  void changedSettingsApplyToTheNextJob() throws Exception {
    runner.settingsChanged(PluginSettings.of(Map.of("tail_lines", 1L)));
    assertThat(run(Map.of("shell", "echo a; echo b")).output()).isEqualTo("b");
  }

  @Test
  void unknownSettingStopsInit() {
    CommandRunner fresh = new CommandRunner();
    assertThatThrownBy(() -> fresh.init(pluginContext(Map.of("tail", 5L))))
        .isInstanceOf(SettingsException.class)
        .hasMessageStartingWith("plugins.command.tail is not a known setting");
  }

  @Test
  void signalStatusesMapToSignalNamesAndOthersToExitCodes() {
    assertThat(CommandRunner.outcome(143, "").message()).isEqualTo("killed by signal TERM (15)");
    assertThat(CommandRunner.outcome(129, "").message()).isEqualTo("killed by signal HUP (1)");
    assertThat(CommandRunner.outcome(128, "").message()).isEqualTo("exited with code 128");
    assertThat(CommandRunner.outcome(255, "").message()).isEqualTo("exited with code 255");
  }
}
