package org.jobhost.spool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The file operations of the spool directories: listing job files, renaming without ever replacing
 * a file, free names on a clash, and names fit for a log line. Stateless.
 */
final class SpoolFiles {

  /** The suffix of a job file. */
  static final String SUFFIX = ".json";

  private SpoolFiles() {}

  /**
   * A name for display in a log line: control characters (a newline would split the line) and
   * backslashes escaped, so one file is one line whatever its name.
   */
  static String printable(String name) {
    StringBuilder b = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '\\') {
        b.append("\\\\");
      } else if (c == '\n') {
        b.append("\\n");
      } else if (c == '\r') {
        b.append("\\r");
      } else if (c == '\t') {
        b.append("\\t");
      } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  /**
   * {@code name} if neither it nor its {@code .error}/{@code .outcome.json} exist in {@code dir},
   * else the first free {@code <stem>-<n>.json}: a move never replaces a file.
   */
  static String freeName(Path dir, String name) {
    String candidate = name;
    for (int n = 1; taken(dir, candidate); n++) {
      candidate = candidate(name, n);
    }
    return candidate;
  }

  /** The {@code n}th name {@link #freeName} tries after {@code name}: {@code <stem>-<n>.json}. */
  static String candidate(String name, int n) {
    return stem(name) + "-" + n + SUFFIX;
  }

  private static boolean taken(Path dir, String name) {
    return Files.exists(dir.resolve(name), LinkOption.NOFOLLOW_LINKS)
        || !companions(dir, name).isEmpty();
  }

  /** The {@code .outcome.json} and {@code .error} of {@code name} that exist in {@code dir}. */
  static List<Path> companions(Path dir, String name) {
    List<Path> found = new ArrayList<>(2);
    for (String suffix : List.of(".outcome.json", ".error")) {
      Path p = dir.resolve(stem(name) + suffix);
      if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        found.add(p);
      }
    }
    return found;
  }

  static String stem(String name) {
    return name.endsWith(SUFFIX) ? name.substring(0, name.length() - SUFFIX.length()) : name;
  }

  static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Entries of a directory named {@code *.json}, not hidden, not directories; never {@code .tmp} or
   * dotfiles. Links, pipes and devices are listed so that a claim moves them to {@code failed/}
   * with the reason instead of leaving them unexplained.
   */
  static List<Path> list(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        String n = f.getFileName().toString();
        if (!n.startsWith(".")
            && n.endsWith(SUFFIX)
            && !Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS)) {
          out.add(f);
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return out;
  }
}
