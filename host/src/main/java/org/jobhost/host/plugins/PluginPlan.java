package org.jobhost.host.plugins;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What a rescan of {@code plugins_dir} changes, decided from the loaded plugins and the scan alone,
 * before anything is loaded or stopped. A plugin is <em>changed</em> when the file that now wins
 * its id is another file, or the same file replaced (see {@link FileStamp}); <em>removed</em> when
 * no file declares its id any more or its id is now disabled; a file whose id nothing loaded has is
 * <em>added</em>. A file refused before loading (unsafe, unreadable) that is the file of a loaded
 * plugin leaves that plugin running, with the refusal as its problem. Immutable.
 *
 * @param added the new files to load, in load order
 * @param changed the new file of each loaded plugin to replace
 * @param removed the loaded plugins to unload
 * @param kept a problem for each loaded plugin whose new file was refused (it keeps running)
 * @param unloaded the reports of files that load nothing (refused, duplicate, disabled)
 */
record PluginPlan(
    List<Path> added,
    Map<String, Path> changed,
    Set<String> removed,
    Map<String, String> kept,
    List<PluginReport> unloaded) {

  /** Copies. */
  PluginPlan {
    added = List.copyOf(added);
    changed = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(changed));
    removed = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(removed));
    kept = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(kept));
    unloaded = List.copyOf(unloaded);
  }

  /**
   * @param current the plugins loaded from files now, by id
   * @param scan the directory now
   * @param enabled whether an id is enabled in the configuration
   * @param stampOf the stamp of a file now
   */
  static PluginPlan of(
      Map<String, Plugins.Loaded> current,
      Plugins.Scan scan,
      Predicate<String> enabled,
      java.util.function.Function<Path, FileStamp> stampOf) {
    List<Path> added = new ArrayList<>();
    Map<String, Path> changed = new LinkedHashMap<>();
    Map<String, String> kept = new LinkedHashMap<>();
    List<PluginReport> unloaded = new ArrayList<>();
    Set<String> present = new LinkedHashSet<>();
    for (PluginReport refused : scan.refused()) {
      String owner = loadedFrom(current, refused.file());
      if (owner == null) {
        unloaded.add(refused);
      } else {
        present.add(owner);
        kept.put(
            owner,
            Plugins.RESCAN_PREFIX
                + "was refused: "
                + String.join("; ", refused.problems())
                + "; version "
                + current.get(owner).version()
                + " keeps running");
      }
    }
    for (Path file : scan.files()) {
      DuplicateIds.Loser lost = scan.losers().get(file);
      if (lost != null) {
        unloaded.add(
            new PluginReport(
                lost.id(), "?", file, "duplicate", List.of(), List.of(lost.problem())));
        continue;
      }
      String id = scan.ids().get(file);
      if (id == null) {
        // No readable id: the file of a loaded plugin replaced by a broken one, or a new file
        // whose load reports why.
        String owner = loadedFrom(current, file);
        if (owner != null) {
          present.add(owner);
          if (!current.get(owner).stamp().same(stampOf.apply(file))) {
            changed.put(owner, file);
          }
        } else {
          added.add(file);
        }
        continue;
      }
      if (!enabled.test(id)) {
        unloaded.add(new PluginReport(id, "?", file, "disabled", List.of(), List.of()));
        continue;
      }
      present.add(id);
      Plugins.Loaded now = current.get(id);
      if (now == null) {
        added.add(file);
      } else if (!now.file().equals(file) || !now.stamp().same(stampOf.apply(file))) {
        changed.put(id, file);
      }
    }
    Set<String> removed = new LinkedHashSet<>(current.keySet());
    removed.removeAll(present);
    return new PluginPlan(added, changed, removed, kept, unloaded);
  }

  private static String loadedFrom(Map<String, Plugins.Loaded> current, Path file) {
    for (Plugins.Loaded l : current.values()) {
      if (l.file() != null && l.file().equals(file)) {
        return l.id();
      }
    }
    return null;
  }

  /** Whether the rescan changes nothing that is loaded. */
  boolean nothingToDo() {
    return added.isEmpty() && changed.isEmpty() && removed.isEmpty();
  }
}
