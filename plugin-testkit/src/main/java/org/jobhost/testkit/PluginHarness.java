package org.jobhost.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.jobhost.api.CliCommand;
import org.jobhost.api.HostListener;
import org.jobhost.api.Job;
import org.jobhost.api.JobRunner;
import org.jobhost.api.JobSource;
import org.jobhost.api.Managed;
import org.jobhost.api.Outcome;
import org.jobhost.api.PluginSettings;
import org.jobhost.api.Signal;
import org.jobhost.api.SignalEvent;
import org.jobhost.api.SignalHook;
import org.jobhost.binding.BindingRules;
import org.jobhost.binding.ExtensionClasses;

/**
 * One plugin loaded and driven the way the daemon would, inside a unit test.
 *
 * <p>Loading follows the host: extensions are the classes listed in {@code
 * META-INF/services/org.jobhost.api.<ExtensionPoint>} and in pf4j's {@code
 * META-INF/extensions.idx}; one instance per class (a public no-argument constructor), {@code init}
 * once per instance with the plugin's context. A jar gets a class loader of its own that sees only
 * the jar and the plugin API (as in the daemon: a library that was not shaded into the jar is
 * missing). What the daemon would refuse or report is in {@link #problems()}: no {@code
 * Plugin-Id}/{@code Plugin-Version}, a class that does not load or cannot be created, a services
 * entry naming a class that does not implement the interface, an {@code init} that throws, a hook
 * on a signal the JVM reserves, two runners for one job type, a command whose name is malformed, a
 * built-in command's or taken, a plugin that contributes nothing. Runners, hooks and commands are
 * bound by the host's own rules ({@link BindingRules}), so the refusals and their messages are
 * those of the daemon and {@code jobhost check}.
 *
 * <p>Then the test drives it: {@link #poll} its sources, {@link #run} jobs through its runners
 * (listeners are told, the job's source gets its outcome), {@link #signal} its hooks, {@link
 * #reload} its settings. Every call runs on the test's thread. Exceptions a plugin throws where the
 * daemon would log them (a listener, a source's {@code completed}, {@code settingsChanged}) are
 * collected in {@link #failures()}. Not thread-safe.
 *
 * <p>Why one class of this size: it is the test kit's single entry point, the one name a plugin
 * author imports and finds every verb on (load, poll, run, signal, reload, assert), with the
 * lifecycle state those verbs share. The parts that are not its own are kept elsewhere: finding and
 * creating extensions and the binding rules in {@code plugin-binding}, the context in {@link
 * TestPluginContext}, the host in {@link FakeHost}, settings in {@link TomlSettings}.
 *
 * <pre>{@code
 * try (PluginHarness h = PluginHarness.forClassPath("greeter").settings("count = 2").load()) {
 *   h.assertNoProblems();
 *   assertThat(h.runAll(10)).allMatch(Outcome::isSuccess);
 * }
 * }</pre>
 */
public final class PluginHarness implements AutoCloseable {

  private final String pluginId;
  private final FakeHost host;
  private final ManualClock clock;
  private TestPluginContext context;
  private final PluginClassLoader loader;
  private final List<String> problems = new ArrayList<>();
  private final List<String> failures = new ArrayList<>();
  private final List<Object> instances = new ArrayList<>();
  private final Map<Class<?>, List<Object>> byPoint = new LinkedHashMap<>();
  private final Map<String, Object> runners = new LinkedHashMap<>();
  private final Map<String, Object> commands = new LinkedHashMap<>();
  private final Map<Signal, List<SignalHook>> hooks = new LinkedHashMap<>();
  private final Map<Job, JobSource> origins = new IdentityHashMap<>();
  private long signalSequence;
  private boolean closed;

  private PluginHarness(Builder b, String pluginId, PluginClassLoader loader) {
    this.pluginId = pluginId;
    this.host = b.host;
    this.clock = b.clock;
    this.loader = loader;
    TestPluginContext.Builder cb =
        TestPluginContext.builder(pluginId)
            .settings(TomlSettings.parse(pluginId, b.toml))
            .host(host)
            .clock(clock)
            .strict(b.strict);
    if (b.state != null) {
      cb.stateDirectory(b.state);
    }
    this.context = cb.build();
    for (Class<?> p : ExtensionClasses.POINTS) {
      byPoint.put(p, new ArrayList<>());
    }
  }

  /** A harness for a built plugin jar: its manifest names the plugin. */
  public static Builder forJar(Path jar) {
    return new Builder(Objects.requireNonNull(jar, "jar"), null);
  }

  /**
   * A harness for the plugin whose classes and {@code META-INF/services} files are on the test's
   * class path (a plugin project's own tests, before its jar exists).
   */
  public static Builder forClassPath(String pluginId) {
    if (pluginId == null || pluginId.isBlank()) {
      throw new IllegalArgumentException("a plugin id must not be blank");
    }
    return new Builder(null, pluginId);
  }

  /** The plugin's id (its manifest's {@code Plugin-Id}, or the one given). */
  public String pluginId() {
    return pluginId;
  }

  /** The host the plugin's extensions were given. */
  public FakeHost host() {
    return host;
  }

  /** The clock the plugin's extensions were given. */
  public ManualClock clock() {
    return clock;
  }

  /** The context of the last {@code init} or reload. */
  public TestPluginContext context() {
    return context;
  }

  /** What the daemon would report about this plugin, one line each; empty when all is well. */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  /** Exceptions the daemon would log and carry on after, one line each. */
  public List<String> failures() {
    return List.copyOf(failures);
  }

  /**
   * Fails unless the plugin loaded without problems.
   *
   * @throws AssertionError listing every problem
   */
  public PluginHarness assertNoProblems() {
    if (!problems.isEmpty()) {
      throw new AssertionError(
          "plugin " + pluginId + " has problems:\n  " + String.join("\n  ", problems));
    }
    return this;
  }

  /** The working extensions of one point, in load order. */
  public <T> List<T> extensions(Class<T> point) {
    List<T> out = new ArrayList<>();
    for (Object o : byPoint.getOrDefault(point, List.of())) {
      out.add(point.cast(o));
    }
    return out;
  }

  /**
   * The plugin's commands by name, as the host binds them (a malformed name, a built-in command's
   * or an earlier command's is refused and in {@link #problems()}); run one with {@link
   * TestCommandLine}.
   */
  public Map<String, CliCommand> commands() {
    Map<String, CliCommand> out = new LinkedHashMap<>();
    commands.forEach((name, c) -> out.put(name, (CliCommand) c));
    return Collections.unmodifiableMap(out);
  }

  /** The job types this plugin's runners run, each once. */
  public Set<String> types() {
    return Collections.unmodifiableSet(runners.keySet());
  }

  /**
   * Polls every source once, in load order, for up to {@code max} jobs in all, as the dispatcher
   * does when {@code max} slots are free.
   */
  public List<Job> poll(int max) {
    requireOpen();
    List<Job> out = new ArrayList<>();
    for (JobSource s : extensions(JobSource.class)) {
      if (out.size() >= max) {
        break;
      }
      List<Job> got = call(() -> s.poll(max - out.size()), s, "poll");
      for (Job j : got == null ? List.<Job>of() : got) {
        origins.put(j, s);
        out.add(j);
      }
    }
    return out;
  }

  /**
   * Polls one job at a time and runs it, until the sources have none or {@code limit} jobs ran.
   *
   * @return the outcomes, in order
   */
  public List<Outcome> runAll(int limit) {
    List<Outcome> out = new ArrayList<>();
    while (out.size() < limit) {
      List<Job> jobs = poll(1);
      if (jobs.isEmpty()) {
        break;
      }
      out.add(run(jobs.get(0)));
    }
    return out;
  }

  /** Runs a job with a {@link TestJobContext} on this harness's clock (deadline: its timeout). */
  public Outcome run(Job job) {
    return run(job, TestJobContext.of(job, clock));
  }

  /**
   * Runs a job through the runner of its type, as a worker slot does: listeners are told it
   * started, the runner runs it (a null outcome is a failure; an exception fails it; an interrupt
   * is TIMED_OUT past the deadline, else CANCELLED), a failed attempt with attempts left is offered
   * to its source's {@code retry}, otherwise the source is told {@code completed}, and listeners
   * are told it ended. A job of a type no runner of this plugin runs fails, as in the daemon.
   */
  public Outcome run(Job job, TestJobContext jobContext) {
    requireOpen();
    for (HostListener l : extensions(HostListener.class)) {
      quietly(l, "jobStarted", () -> l.jobStarted(job));
    }
    JobRunner runner = (JobRunner) runners.get(job.type());
    Outcome outcome;
    if (runner == null) {
      outcome =
          Outcome.failed(
              "no runner for job type \"" + job.type() + "\"; this plugin runs " + types());
    } else {
      outcome = runOne(runner, job, jobContext);
    }
    JobSource source = origins.remove(job);
    if (source != null) {
      boolean retried = false;
      boolean failed =
          outcome.kind() == Outcome.Kind.FAILED || outcome.kind() == Outcome.Kind.TIMED_OUT;
      if (failed && job.attempt() < job.maxAttempts()) {
        Outcome o = outcome;
        Boolean r = call(() -> source.retry(job, o, clock.instant()), source, "retry");
        retried = Boolean.TRUE.equals(r);
      }
      if (!retried) {
        Outcome o = outcome;
        quietly(source, "completed", () -> source.completed(job, o));
      }
    }
    for (HostListener l : extensions(HostListener.class)) {
      Outcome o = outcome;
      quietly(l, "jobEnded", () -> l.jobEnded(job, o));
    }
    return outcome;
  }

  private static Outcome runOne(JobRunner runner, Job job, TestJobContext jobContext) {
    try {
      Outcome o = runner.run(job, jobContext);
      return o == null ? Outcome.failed(runner.getClass().getName() + " returned no outcome") : o;
    } catch (InterruptedException e) {
      // The daemon's worker thread would end here; the test's thread goes on, not interrupted.
      return jobContext.deadlinePassed() && job.timeout() != null
          ? Outcome.timedOut(job.timeout())
          : Outcome.cancelled("stopped");
    } catch (Exception e) {
      return Outcome.failed(String.valueOf(e));
    }
  }

  /**
   * Delivers {@code signal} to every hook bound to it, in load order, as the event thread does.
   *
   * @return how many hooks handled it
   * @throws IllegalArgumentException for a signal the JVM reserves (the daemon never gets one)
   * @throws IllegalStateException after every hook ran, when one threw (the first is the cause)
   */
  public int signal(Signal signal) {
    requireOpen();
    if (signal.reservedByJvm()) {
      throw new IllegalArgumentException(
          "the JVM reserves " + signal.fullName() + "; a daemon never delivers it to a hook");
    }
    SignalEvent event = new SignalEvent(signal, clock.instant(), ++signalSequence, 0);
    List<SignalHook> bound = hooks.getOrDefault(signal, List.of());
    Exception first = null;
    for (SignalHook h : bound) {
      try {
        h.onSignal(event, host);
      } catch (Exception e) {
        failures.add(h.getClass().getName() + " onSignal " + signal.fullName() + " threw " + e);
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw new IllegalStateException(
          "a hook failed on " + signal.fullName() + ": " + failures.get(failures.size() - 1),
          first);
    }
    return bound.size();
  }

  /**
   * Reloads with new settings, as HUP does when the plugin's section changed: every extension's
   * {@code validateSettings} first; if one throws, nothing is applied and the rejections are
   * returned; otherwise every extension's {@code settingsChanged}, then listeners' {@code
   * reloaded}.
   *
   * @param toml the plugin's new section (or a whole file with {@code [plugins.<id>]})
   */
  public ReloadResult reload(String toml) {
    requireOpen();
    PluginSettings next = TomlSettings.parse(pluginId, toml);
    List<String> rejections = new ArrayList<>();
    for (Object ext : instances) {
      try {
        ((Managed) ext).validateSettings(next);
      } catch (Exception e) {
        rejections.add(ext.getClass().getName() + ": " + e.getMessage());
      }
    }
    if (!rejections.isEmpty()) {
      return new ReloadResult(false, rejections);
    }
    context = context.withSettings(next);
    for (Object ext : instances) {
      quietly(ext, "settingsChanged", () -> ((Managed) ext).settingsChanged(next));
    }
    for (HostListener l : extensions(HostListener.class)) {
      quietly(l, "reloaded", () -> l.reloaded(host));
    }
    return new ReloadResult(true, List.of());
  }

  /**
   * Stops as the daemon does: listeners are told {@code stopping} and {@code stopped}, every
   * extension is closed in reverse load order, and a jar's class loader is closed.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (HostListener l : extensions(HostListener.class)) {
      quietly(l, "stopping", () -> l.stopping(host));
    }
    for (HostListener l : extensions(HostListener.class)) {
      quietly(l, "stopped", () -> l.stopped(host));
    }
    List<Object> reverse = new ArrayList<>(instances);
    Collections.reverse(reverse);
    for (Object ext : reverse) {
      quietly(ext, "close", ((Managed) ext)::close);
    }
    if (loader != null) {
      try {
        loader.close();
      } catch (IOException e) {
        failures.add("closing the class loader of " + pluginId + " failed: " + e);
      }
    }
  }

  private void load(ClassLoader cl, boolean ownOnly, String where) {
    Map<String, Set<Class<?>>> listedFor = ExtensionClasses.listed(cl, problems, ownOnly);
    Set<String> names = new LinkedHashSet<>(listedFor.keySet());
    names.addAll(ExtensionClasses.indexNames(cl, problems, ownOnly));
    for (String name : names) {
      ExtensionClasses.Created created =
          ExtensionClasses.create(name, listedFor.getOrDefault(name, Set.of()), cl, problems);
      if (created != null) {
        instances.add(created.instance());
        for (Class<?> point : created.points()) {
          byPoint.get(point).add(created.instance());
        }
      }
    }
    if (instances.isEmpty() && problems.isEmpty()) {
      problems.add(
          where
              + " contributes no extension: list its classes in"
              + " META-INF/services/org.jobhost.api.<ExtensionPoint> (or annotate them with"
              + " @Extension and run pf4j's annotation processor)");
    }
    initAll();
    bind();
    for (HostListener l : extensions(HostListener.class)) {
      quietly(l, "started", () -> l.started(host));
    }
  }

  private void initAll() {
    List<Object> failed = new ArrayList<>();
    for (Object ext : instances) {
      try {
        ((Managed) ext).init(context);
      } catch (Exception | LinkageError e) {
        problems.add(ext.getClass().getName() + " failed to start: " + e + "; it is disabled");
        failed.add(ext);
      }
    }
    for (Object ext : failed) {
      instances.remove(ext);
      for (List<Object> list : byPoint.values()) {
        list.remove(ext);
      }
    }
  }

  /** Binds runners, hooks and commands by the host's own rules ({@link BindingRules}). */
  private void bind() {
    BindingRules.Contributions<Object> view =
        new BindingRules.Contributions<>() {
          @Override
          public String pluginId(Object extension) {
            return pluginId;
          }

          @Override
          public String label(Object extension) {
            return BindingRules.label(pluginId, extension);
          }
        };
    BindingRules.Refusals refusals = (id, refusal, why) -> problems.add(why);
    runners.putAll(
        BindingRules.runners(
            byPoint.get(JobRunner.class),
            view,
            r -> call(((JobRunner) r)::types, r, "types"),
            refusals));
    BindingRules.hooks(
            byPoint.get(SignalHook.class),
            view,
            h -> call(((SignalHook) h)::signals, h, "signals"),
            refusals)
        .forEach((s, list) -> hooks.put(s, list.stream().map(SignalHook.class::cast).toList()));
    commands.putAll(
        BindingRules.commands(
            byPoint.get(CliCommand.class),
            view,
            c -> call(((CliCommand) c)::name, c, "name"),
            BindingRules.BUILT_IN_COMMANDS,
            refusals));
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("the harness of plugin " + pluginId + " is closed");
    }
  }

  /** A plugin call whose exception the test should see. */
  private static <T> T call(Call<T> c, Object ext, String method) {
    try {
      return c.call();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(ext.getClass().getName() + "." + method + " threw " + e, e);
    }
  }

  /** A plugin call whose exception the daemon would log and carry on after. */
  private void quietly(Object ext, String method, Action a) {
    try {
      a.run();
    } catch (Exception | LinkageError e) {
      failures.add(ext.getClass().getName() + "." + method + " threw " + e);
    }
  }

  @FunctionalInterface
  private interface Call<T> {
    T call() throws Exception;
  }

  @FunctionalInterface
  private interface Action {
    void run() throws Exception;
  }

  /** Configures and loads a {@link PluginHarness}. Not thread-safe. */
  public static final class Builder {
    private final Path jar;
    private final String classPathId;
    private String toml = "";
    private FakeHost host = new FakeHost();
    private ManualClock clock = new ManualClock();
    private Path state;
    private boolean strict;

    private Builder(Path jar, String classPathId) {
      this.jar = jar;
      this.classPathId = classPathId;
    }

    /** The plugin's section as TOML (or a whole file with {@code [plugins.<id>]}). */
    public Builder settings(String toml) {
      this.toml = Objects.requireNonNull(toml, "toml");
      return this;
    }

    /** The host to give the plugin (a new {@link FakeHost} by default). */
    public Builder host(FakeHost host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** The clock to give the plugin (a new {@link ManualClock} by default). */
    public Builder clock(ManualClock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The plugin's state directory (a fresh temporary one by default). */
    public Builder stateDirectory(Path state) {
      this.state = Objects.requireNonNull(state, "state");
      return this;
    }

    /** Whether the site runs with {@code strict = true}. */
    public Builder strict(boolean strict) {
      this.strict = strict;
      return this;
    }

    /**
     * Loads the plugin, calls {@code init} on its extensions, binds its runners and hooks and tells
     * its listeners {@code started}. Problems do not throw: check {@link #problems()} (or {@link
     * #assertNoProblems()}).
     *
     * @throws UncheckedIOException when the jar cannot be read at all
     */
    public PluginHarness load() {
      if (jar == null) {
        PluginHarness h = new PluginHarness(this, classPathId, null);
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        h.load(cl == null ? PluginHarness.class.getClassLoader() : cl, false, "the class path");
        return h;
      }
      Manifest mf;
      try (JarFile j = new JarFile(jar.toFile())) {
        mf = j.getManifest();
      } catch (IOException e) {
        throw new UncheckedIOException(
            jar + " is not a readable jar (" + e.getMessage() + "); rebuild it", e);
      }
      String id = mf == null ? null : mf.getMainAttributes().getValue("Plugin-Id");
      String version = mf == null ? null : mf.getMainAttributes().getValue("Plugin-Version");
      String fileName = jar.getFileName().toString();
      PluginClassLoader cl;
      try {
        cl = new PluginClassLoader(jar.toUri().toURL(), PluginHarness.class.getClassLoader());
      } catch (MalformedURLException e) {
        throw new IllegalArgumentException("not a file: " + jar, e);
      }
      PluginHarness h =
          new PluginHarness(
              this, id == null || id.isBlank() ? fileName.replaceAll("\\.jar$", "") : id, cl);
      if (id == null || id.isBlank()) {
        h.problems.add(
            jar
                + " has no Plugin-Id: add Plugin-Id and Plugin-Version to its"
                + " META-INF/MANIFEST.MF (or a plugin.properties)");
        return h;
      }
      if (version == null || version.isBlank()) {
        h.problems.add(jar + " has no Plugin-Version: add it to its META-INF/MANIFEST.MF");
        return h;
      }
      if (!Files.isRegularFile(jar)) {
        h.problems.add(jar + " is not a file");
        return h;
      }
      h.load(cl, true, jar.toString());
      return h;
    }
  }
}
