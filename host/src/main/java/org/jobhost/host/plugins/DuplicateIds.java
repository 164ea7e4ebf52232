package org.jobhost.host.plugins;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Which file loads when several files in {@code plugins_dir} declare one {@code Plugin-Id}. The
 * rule is stable (it does not depend on the order the directory lists its files in) and protects
 * the bundled plugins, which are installed under their id's name ({@code cron.jar}):
 *
 * <ol>
 *   <li>the file the site chose with {@code [plugins.<id>] plugin_file = "NAME"};
 *   <li>else the file named after the id: {@code <id>.jar}, {@code <id>.zip} or a directory {@code
 *       <id>} (a third-party {@code aaa.jar} declaring {@code Plugin-Id: cron} does not displace
 *       the bundled {@code cron.jar});
 *   <li>else the file whose name sorts first.
 * </ol>
 *
 * <p>Every other file of that id is not loaded and is reported as a problem naming both files, so
 * that {@code jobhost check} fails and {@code strict = true} refuses to start. Stateless.
 */
final class DuplicateIds {

  /**
   * A file that does not load.
   *
   * @param id the id it declares
   * @param problem the message, naming it, the file that loads and the fix
   */
  record Loser(String id, String problem) {}

  private DuplicateIds() {}

  /**
   * @param files the candidate files, any order
   * @param idOf the id a file declares, or {@code null} when none can be read
   * @param chosen the file name the site chose for an id, or {@code null}
   */
  static Map<Path, Loser> losers(
      List<Path> files, Function<Path, String> idOf, Function<String, String> chosen) {
    Map<String, List<Path>> byId = new LinkedHashMap<>();
    for (Path f : files) {
      String id = idOf.apply(f);
      if (id != null) {
        byId.computeIfAbsent(id, k -> new ArrayList<>()).add(f);
      }
    }
    Map<Path, Loser> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<Path>> e : byId.entrySet()) {
      if (e.getValue().size() < 2) {
        continue;
      }
      String id = e.getKey();
      List<Path> same = new ArrayList<>(e.getValue());
      same.sort(Comparator.comparing(p -> p.getFileName().toString()));
      String pick = chosen.apply(id);
      Path winner = null;
      String why;
      if (pick != null) {
        winner = same.stream().filter(p -> matches(p, pick)).findFirst().orElse(null);
      }
      if (winner != null) {
        why = "chosen with [plugins." + id + "] plugin_file = \"" + pick + "\"";
      } else {
        winner = same.stream().filter(p -> namedAfter(p, id)).findFirst().orElse(null);
        why = "named after the id, as the bundled plugins are";
        if (winner == null) {
          winner = same.get(0);
          why = "its name sorts first";
        }
        if (pick != null) {
          why += "; [plugins." + id + "] plugin_file = \"" + pick + "\" names none of them";
        }
      }
      for (Path loser : same) {
        if (loser.equals(winner)) {
          continue;
        }
        out.put(
            loser,
            new Loser(
                id,
                "duplicate Plugin-Id "
                    + id
                    + ": "
                    + loser
                    + " and "
                    + winner
                    + " both declare it; "
                    + winner
                    + " is loaded ("
                    + why
                    + "), "
                    + loser
                    + " is not. Remove one of them, or choose with [plugins."
                    + id
                    + "] plugin_file = \""
                    + loser.getFileName()
                    + "\""));
      }
    }
    return out;
  }

  private static boolean matches(Path file, String pick) {
    return file.getFileName().toString().equals(pick) || file.toString().equals(pick);
  }

  private static boolean namedAfter(Path file, String id) {
    String n = file.getFileName().toString();
    return n.equals(id + ".jar") || n.equals(id + ".zip") || n.equals(id);
  }
}
