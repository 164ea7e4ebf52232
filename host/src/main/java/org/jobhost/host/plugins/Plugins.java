package org.jobhost.host.plugins;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jobhost.api.Managed;
import org.jobhost.api.PluginContext;
import org.jobhost.binding.ExtensionClasses;
import org.jobhost.binding.LoadHints;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.pf4j.util.FileUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loaded plugins and their extensions: one instance per extension class, created once. Loading
 * ({@link #load}, {@link #initAll}) is done by one thread; afterwards the reports and extension
 * lists may be read from any thread while {@link HotPlugins} adds and removes plugins, and the
 * lists it hands out are copies.
 *
 * <p>Which files are candidates and how a failure is described live in {@link PluginFiles}; which
 * classes a plugin lists and creating them in {@link ExtensionClasses}. What stays here is the
 * state of the set (extensions by point, owners, reports and their problems) that loading, hot
 * changes and reporting all update under this object's lock; it runs past 350 lines because
 * splitting the reports from the extensions would put that one lock across two classes.
 */
public final class Plugins {

  private static final Logger log = LoggerFactory.getLogger(Plugins.class);

  /** The plugin id of extensions found on the host's own classpath. */
  public static final String HOST_ID = "host";

  /** The plugin API version this host provides; a plugin's {@code Plugin-Requires} is checked. */
  public static final String API_VERSION = "0.1.0";

  /** How a problem with a loaded plugin's new file starts (the old version keeps running). */
  static final String RESCAN_PREFIX = "its new file ";

  private final HostPluginManager manager;
  private final List<PluginReport> reports = new ArrayList<>();
  private final Map<Class<?>, List<Contribution<?>>> byPoint = new LinkedHashMap<>();
  private final Map<Object, String> owners = new java.util.IdentityHashMap<>();
  private final Map<String, List<String>> extensionsOf = new LinkedHashMap<>();
  private final Map<String, List<String>> problemsOf = new LinkedHashMap<>();
  private final Map<String, HostPluginManager> managers = new LinkedHashMap<>();
  private final Map<String, FileStamp> stamps = new LinkedHashMap<>();
  private final Map<String, String> rescanProblems = new LinkedHashMap<>();

  /**
   * The plugin files of a directory as a load sees them.
   *
   * @param files the files to load, in load order (safe and readable)
   * @param ids the {@code Plugin-Id} each of {@code files} declares ({@code null} when none)
   * @param refused a failed report of each file refused before loading (unsafe, unreadable)
   * @param losers the files another file with the same id displaces
   */
  record Scan(
      List<Path> files,
      Map<Path, String> ids,
      List<PluginReport> refused,
      Map<Path, DuplicateIds.Loser> losers) {}

  private Plugins(HostPluginManager manager) {
    this.manager = manager;
    for (Class<?> p : ExtensionClasses.POINTS) {
      byPoint.put(p, new ArrayList<>());
    }
  }

  /**
   * Loads every plugin in {@code dir} and the host classpath's extensions.
   *
   * @param dir the plugins directory (may be missing: then only the classpath counts)
   * @param enabled whether a plugin id is enabled in the configuration
   */
  public static Plugins load(Path dir, Predicate<String> enabled) {
    return load(dir, enabled, id -> null);
  }

  /**
   * Loads every plugin in {@code dir} and the host classpath's extensions.
   *
   * @param dir the plugins directory (may be missing: then only the classpath counts)
   * @param enabled whether a plugin id is enabled in the configuration
   * @param chosenFile the file name the site chose for a plugin id several files declare ({@code
   *     [plugins.<id>] plugin_file}), or {@code null}; see {@link DuplicateIds}
   */
  public static Plugins load(
      Path dir, Predicate<String> enabled, Function<String, String> chosenFile) {
    return load(dir, enabled, chosenFile, PluginFileSafety.runningAsRoot());
  }

  static Plugins load(Path dir, Predicate<String> enabled, boolean asRoot) {
    return load(dir, enabled, id -> null, asRoot);
  }

  /**
   * @param asRoot whether to refuse plugin files (and a plugins directory) that anyone but root can
   *     change
   */
  static Plugins load(
      Path dir, Predicate<String> enabled, Function<String, String> chosenFile, boolean asRoot) {
    Plugins p = new Plugins(new HostPluginManager(dir, API_VERSION));
    p.loadClasspath();
    Scan scan = p.scan(dir, chosenFile, asRoot);
    p.reports.addAll(scan.refused());
    for (Path file : scan.files()) {
      DuplicateIds.Loser lost = scan.losers().get(file);
      if (lost != null) {
        log.error("plugin={} {}", lost.id(), lost.problem());
        p.reports.add(
            new PluginReport(
                lost.id(), "?", file, "duplicate", List.of(), List.of(lost.problem())));
        continue;
      }
      p.loadFile(file, enabled);
    }
    return p;
  }

  /**
   * Loads the plugin files {@code files} of {@code dir} into a new instance of their own (no class
   * path extensions), for {@link HotPlugins} to adopt one by one. Their extensions are created but
   * not yet {@linkplain #initAll initialised}.
   */
  static Plugins staged(Path dir, List<Path> files, Predicate<String> enabled) {
    Plugins p = new Plugins(new HostPluginManager(dir, API_VERSION));
    for (Path file : files) {
      p.loadFile(file, enabled);
    }
    return p;
  }

  /**
   * Lists the plugin files of {@code dir}, refuses those that are unsafe (as root) or unreadable,
   * reads each one's id, and decides duplicate ids; loads nothing. Logs each refusal.
   */
  Scan scan(Path dir, Function<String, String> chosenFile, boolean asRoot) {
    List<PluginReport> refusedReports = new ArrayList<>();
    String dirProblem =
        asRoot && dir != null && Files.isDirectory(dir) ? PluginFiles.dirProblem(dir) : null;
    List<Path> files = new ArrayList<>();
    for (Path file : PluginFiles.candidates(dir)) {
      String refused =
          dirProblem != null ? dirProblem : asRoot ? PluginFileSafety.problem(file) : null;
      if (refused == null) {
        refused = PluginFiles.unreadableArchive(file);
      }
      if (refused != null) {
        log.error("plugin file {}: {}", file, refused);
        String name = file.getFileName().toString();
        refusedReports.add(
            new PluginReport(name, "?", file, "failed", List.of(), List.of(refused)));
        continue;
      }
      files.add(file);
    }
    Map<Path, String> ids = new LinkedHashMap<>();
    for (Path file : files) {
      ids.put(file, declaredId(file));
    }
    Map<Path, DuplicateIds.Loser> losers = DuplicateIds.losers(files, ids::get, chosenFile);
    return new Scan(files, ids, refusedReports, losers);
  }

  private String declaredId(Path file) {
    Path target = file;
    if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip")) {
      try {
        target = FileUtils.expandIfZip(file);
      } catch (IOException | RuntimeException e) {
        return null;
      }
    }
    return manager.idOf(target);
  }

  /** Every plugin's report, the host classpath first when it contributed. */
  public synchronized List<PluginReport> reports() {
    return List.copyOf(reports);
  }

  /** The working extensions of one point, in load order. */
  @SuppressWarnings("unchecked")
  public synchronized <T> List<Contribution<T>> of(Class<T> point) {
    List<Contribution<T>> out = new ArrayList<>();
    for (Contribution<?> c : byPoint.getOrDefault(point, List.of())) {
      out.add((Contribution<T>) c);
    }
    return out;
  }

  /**
   * Calls {@link Managed#init} once on every extension instance; an instance whose init throws is
   * removed from every point and reported on its plugin.
   */
  public void initAll(Function<String, PluginContext> contexts) {
    Set<Object> done = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    Set<Object> failed = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    List<List<Contribution<?>>> lists = new ArrayList<>();
    synchronized (this) {
      for (List<Contribution<?>> list : byPoint.values()) {
        lists.add(List.copyOf(list));
      }
    }
    for (List<Contribution<?>> list : lists) {
      for (Contribution<?> c : list) {
        Object ext = c.extension();
        if (!done.add(ext)) {
          continue;
        }
        try {
          ((Managed) ext).init(contexts.apply(c.pluginId()));
        } catch (Exception | LinkageError e) {
          String why =
              ext.getClass().getName()
                  + " failed to start: "
                  + LoadHints.describe(e)
                  + "; it is disabled";
          if (e instanceof org.jobhost.api.SettingsException) {
            log.error("plugin={} {}", c.pluginId(), why);
          } else {
            log.error("plugin={} {}", c.pluginId(), why, e);
          }
          problem(c.pluginId(), why);
          failed.add(ext);
        }
      }
    }
    synchronized (this) {
      for (List<Contribution<?>> list : byPoint.values()) {
        list.removeIf(c -> failed.contains(c.extension()));
      }
      rebuildReports();
    }
  }

  /** Calls {@link Managed#close} once on every extension, in reverse load order. */
  public void closeAll() {
    List<Object> all = new ArrayList<>();
    synchronized (this) {
      Set<Object> seen = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
      for (List<Contribution<?>> list : byPoint.values()) {
        for (Contribution<?> c : list) {
          if (seen.add(c.extension())) {
            all.add(c.extension());
          }
        }
      }
    }
    Collections.reverse(all);
    for (Object ext : all) {
      FaultBoundary.run(
          owners.getOrDefault(ext, "?"),
          "close " + ext.getClass().getName(),
          ((Managed) ext)::close);
    }
  }

  /** One plugin loaded from a file: where from, which version. */
  record Loaded(String id, String version, Path file, FileStamp stamp) {}

  /** The plugins loaded from files (not the class path), by id. */
  synchronized Map<String, Loaded> loaded() {
    Map<String, Loaded> out = new LinkedHashMap<>();
    for (PluginReport r : reports) {
      if (managers.containsKey(r.id()) && "loaded".equals(r.state())) {
        out.put(r.id(), new Loaded(r.id(), r.version(), r.file(), stamps.get(r.id())));
      }
    }
    return out;
  }

  /** The report of a plugin id, or {@code null}. */
  synchronized PluginReport report(String id) {
    for (PluginReport r : reports) {
      if (r.id().equals(id)) {
        return r;
      }
    }
    return null;
  }

  /**
   * Sets the problem a rescan found with a loaded plugin's new file (it keeps running), or clears
   * it with {@code null}.
   */
  synchronized void rescanProblem(String id, String problem) {
    if (problem == null) {
      rescanProblems.remove(id);
    } else {
      rescanProblems.put(id, problem);
    }
    rebuildReports();
  }

  /**
   * Replaces the reports of files that did not load (failed, duplicate, disabled) with a rescan's.
   */
  synchronized void replaceUnloaded(List<PluginReport> fresh) {
    reports.removeIf(r -> !HOST_ID.equals(r.id()) && !managers.containsKey(r.id()));
    reports.addAll(fresh);
  }

  /**
   * Takes plugin {@code id} out of every extension point and the reports, then closes its
   * extensions (in reverse load order, outside the lock) and unloads it, which closes its class
   * loader and releases its file. The caller makes sure nothing calls its extensions any more.
   */
  void remove(String id) {
    detach(id).close();
  }

  /** A plugin taken out of the set, still to be closed and unloaded. */
  record Detached(String id, List<Object> extensions, HostPluginManager owner) {
    /** Closes the extensions in reverse load order, then unloads the plugin (its class loader). */
    void close() {
      List<Object> reversed = new ArrayList<>(extensions);
      Collections.reverse(reversed);
      for (Object ext : reversed) {
        FaultBoundary.run(id, "close " + ext.getClass().getName(), ((Managed) ext)::close);
      }
      if (owner != null) {
        FaultBoundary.run(id, "unload", () -> owner.unloadPlugin(id));
      }
    }
  }

  /** Takes plugin {@code id} out of every extension point and the reports; closes nothing. */
  Detached detach(String id) {
    List<Object> mine = new ArrayList<>();
    HostPluginManager owner;
    synchronized (this) {
      for (List<Contribution<?>> list : byPoint.values()) {
        for (Contribution<?> c : list) {
          if (c.pluginId().equals(id) && !mine.contains(c.extension())) {
            mine.add(c.extension());
          }
        }
        list.removeIf(c -> c.pluginId().equals(id));
      }
      mine.forEach(owners::remove);
      extensionsOf.remove(id);
      problemsOf.remove(id);
      rescanProblems.remove(id);
      stamps.remove(id);
      reports.removeIf(r -> r.id().equals(id));
      owner = managers.remove(id);
    }
    return new Detached(id, mine, owner);
  }

  /** The report of the file {@code file}, or {@code null}. */
  synchronized PluginReport reportOf(Path file) {
    for (PluginReport r : reports) {
      if (file.equals(r.file())) {
        return r;
      }
    }
    return null;
  }

  /** Moves plugin {@code id}, loaded and initialised in {@code staged}, into this set. */
  void adopt(Plugins staged, String id) {
    synchronized (staged) {
      synchronized (this) {
        for (Map.Entry<Class<?>, List<Contribution<?>>> e : staged.byPoint.entrySet()) {
          for (Contribution<?> c : e.getValue()) {
            if (c.pluginId().equals(id)) {
              byPoint.get(e.getKey()).add(c);
              owners.put(c.extension(), id);
            }
          }
        }
        extensionsOf.put(id, staged.extensionsOf.getOrDefault(id, List.of()));
        problemsOf.put(id, new ArrayList<>(staged.problemsOf.getOrDefault(id, List.of())));
        HostPluginManager m = staged.managers.remove(id);
        if (m != null) {
          managers.put(id, m);
          stamps.put(id, staged.stamps.get(id));
        }
        reports.removeIf(r -> r.id().equals(id));
        for (PluginReport r : staged.reports) {
          if (r.id().equals(id)) {
            reports.add(r);
          }
        }
        rebuildReports();
      }
    }
  }

  /** Unloads every plugin of a staged set that was not adopted. Nothing of it was initialised. */
  void discard() {
    List<String> left;
    synchronized (this) {
      left = new ArrayList<>(managers.keySet());
      managers.clear();
    }
    for (String id : left) {
      FaultBoundary.run(id, "unload", () -> manager.unloadPlugin(id));
    }
  }

  /** Records a problem found later (a refused hook, a duplicate job type) on a plugin's report. */
  public synchronized void problem(String pluginId, String problem) {
    List<String> list = problemsOf.computeIfAbsent(pluginId, k -> new ArrayList<>());
    if (!list.contains(problem)) {
      list.add(problem);
    }
    rebuildReports();
  }

  private void loadClasspath() {
    ClassLoader cl = Plugins.class.getClassLoader();
    List<String> problems = new ArrayList<>();
    Map<String, Set<Class<?>>> names = ExtensionClasses.listed(cl, problems, false);
    try {
      for (String n : manager.getExtensionClassNames(null)) {
        names.computeIfAbsent(n, k -> new LinkedHashSet<>());
      }
    } catch (RuntimeException e) {
      log.debug("no @Extension index on the class path: {}", e.toString());
    }
    if (names.isEmpty()) {
      return;
    }
    register(HOST_ID, cl, names, problems);
    PluginReport r = new PluginReport(HOST_ID, API_VERSION, null, "loaded", List.of(), problems);
    reports.add(r);
    rebuildReports();
  }

  private void loadFile(Path file, Predicate<String> enabled) {
    String fileName = file.getFileName().toString();
    PluginWrapper w;
    try {
      Path target = file;
      if (fileName.toLowerCase(Locale.ROOT).endsWith(".zip")) {
        target = FileUtils.expandIfZip(file);
      }
      w = manager.loadOne(target);
    } catch (Exception | LinkageError e) {
      String why = PluginFiles.describeLoadFailure(file, e);
      log.error("plugin file {}: {}", file, why);
      reports.add(new PluginReport(fileName, "?", file, "failed", List.of(), List.of(why)));
      return;
    }
    String id = w.getPluginId();
    String version = String.valueOf(w.getDescriptor().getVersion());
    if (!manager.versionAccepted(w)) {
      String why =
          file
              + " requires jobhost plugin API "
              + w.getDescriptor().getRequires()
              + ", but this host provides "
              + API_VERSION
              + "; rebuild the plugin against this API or upgrade jobhost";
      log.error("plugin={} {}", id, why);
      manager.unloadPlugin(id);
      reports.add(new PluginReport(id, version, file, "failed", List.of(), List.of(why)));
      return;
    }
    if (!enabled.test(id) || w.getPluginState() == PluginState.DISABLED) {
      log.info("plugin={} is disabled in the configuration ([plugins.{}] enabled = false)", id, id);
      reports.add(new PluginReport(id, version, file, "disabled", List.of(), List.of()));
      manager.unloadPlugin(id);
      return;
    }
    List<String> problems = new ArrayList<>();
    String pluginClass = w.getDescriptor().getPluginClass();
    if (pluginClass != null && !pluginClass.isBlank()) {
      try {
        manager.startPlugin(id);
      } catch (RuntimeException | LinkageError e) {
        problems.add("its Plugin-Class " + pluginClass + " failed to start: " + e);
      }
    }
    ClassLoader cl = w.getPluginClassLoader();
    Map<String, Set<Class<?>>> names = ExtensionClasses.listed(cl, problems, true);
    try {
      for (String n : manager.getExtensionClassNames(id)) {
        names.computeIfAbsent(n, k -> new LinkedHashSet<>());
      }
    } catch (RuntimeException e) {
      log.debug("plugin={} has no @Extension index: {}", id, e.toString());
    }
    register(id, cl, names, problems);
    managers.put(id, manager);
    stamps.put(id, FileStamp.of(file));
    reports.add(new PluginReport(id, version, file, "loaded", List.of(), problems));
    rebuildReports();
    if (extensionsOf.getOrDefault(id, List.of()).isEmpty() && problems.isEmpty()) {
      problem(
          id,
          file
              + " contributes no extension: list its classes in"
              + " META-INF/services/org.jobhost.api.<ExtensionPoint> (or annotate them with"
              + " @Extension and run pf4j's annotation processor)");
    }
  }

  /**
   * Creates one instance of every listed class that implements an extension point, and records it
   * under each point it implements.
   *
   * @param names each class name with the points whose services file lists it (none: pf4j's
   *     {@code @Extension} index)
   */
  private void register(
      String pluginId, ClassLoader cl, Map<String, Set<Class<?>>> names, List<String> problems) {
    for (Map.Entry<String, Set<Class<?>>> listing : names.entrySet()) {
      String name = listing.getKey();
      ExtensionClasses.Created created =
          ExtensionClasses.create(name, listing.getValue(), cl, problems);
      if (created == null) {
        continue;
      }
      owners.put(created.instance(), pluginId);
      for (Class<?> point : created.points()) {
        byPoint.get(point).add(new Contribution<>(created.instance(), pluginId));
        extensionsOf
            .computeIfAbsent(pluginId, k -> new ArrayList<>())
            .add(point.getSimpleName() + ": " + name);
      }
    }
  }

  private void rebuildReports() {
    for (int i = 0; i < reports.size(); i++) {
      PluginReport r = reports.get(i);
      if (!"loaded".equals(r.state()) && !"failed".equals(r.state())) {
        continue;
      }
      List<String> problems = new ArrayList<>(r.problems());
      for (String p : problemsOf.getOrDefault(r.id(), List.of())) {
        if (!problems.contains(p)) {
          problems.add(p);
        }
      }
      String rescan = "loaded".equals(r.state()) ? rescanProblems.get(r.id()) : null;
      problems.removeIf(p -> p.startsWith(RESCAN_PREFIX));
      if (rescan != null) {
        problems.add(rescan);
      }
      reports.set(
          i,
          new PluginReport(
              r.id(),
              r.version(),
              r.file(),
              r.state(),
              extensionsOf.getOrDefault(r.id(), List.of()),
              problems));
    }
  }
}
