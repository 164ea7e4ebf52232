package org.jobhost.host.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads {@code /proc}: which live processes belong to a process group. Zombies count as gone (they
 * hold no resources but a table slot, and PID 1 reaps them). Thread-safe (stateless).
 */
public final class ProcTable {

  /** One process as {@code /proc/<pid>/stat} shows it. */
  public record Entry(long pid, long pgrp, char state, long startTicks) {}

  private final Path proc;

  /** The real {@code /proc}. */
  public ProcTable() {
    this(Path.of("/proc"));
  }

  ProcTable(Path proc) {
    this.proc = proc;
  }

  /** The live (non-zombie) members of process group {@code pgid}. */
  public List<Entry> members(long pgid) {
    return live((pid, dir) -> read(pid).filter(e -> e.pgrp == pgid));
  }

  /**
   * The live processes whose environment (as {@code /proc/<pid>/environ} shows the one they were
   * started with) has an entry beginning with {@code prefix}, such as {@code
   * "JOBHOST_RUN_MARKER=abc:"}. Processes of other users that cannot be read are skipped.
   */
  public List<Entry> carrying(String prefix) {
    byte[] wanted = prefix.getBytes(StandardCharsets.UTF_8);
    return live(
        (pid, dir) -> startsAnEntry(environ(dir), wanted) ? read(pid) : Optional.<Entry>empty());
  }

  /** Every live (non-zombie) process for which {@code select} yields its entry. */
  private List<Entry> live(java.util.function.BiFunction<Long, Path, Optional<Entry>> select) {
    List<Entry> out = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(proc)) {
      for (Path d : dirs) {
        String name = d.getFileName().toString();
        if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
          continue;
        }
        select
            .apply(Long.parseLong(name), d)
            .filter(e -> e.state != 'Z' && e.state != 'X')
            .ifPresent(out::add);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list " + proc + ": " + e.getMessage(), e);
    }
    return out;
  }

  /** The value of one variable in a process's start environment, if it can be read. */
  public Optional<String> environmentValue(long pid, String variable) {
    String text = new String(environ(proc.resolve(Long.toString(pid))), StandardCharsets.UTF_8);
    for (String entry : text.split("\0")) {
      if (entry.startsWith(variable + "=")) {
        return Optional.of(entry.substring(variable.length() + 1));
      }
    }
    return Optional.empty();
  }

  private static byte[] environ(Path dir) {
    try {
      return Files.readAllBytes(dir.resolve("environ"));
    } catch (IOException | RuntimeException e) {
      return new byte[0];
    }
  }

  private static boolean startsAnEntry(byte[] env, byte[] prefix) {
    int start = 0;
    while (start + prefix.length <= env.length) {
      if (java.util.Arrays.equals(env, start, start + prefix.length, prefix, 0, prefix.length)) {
        return true;
      }
      int next = start;
      while (next < env.length && env[next] != 0) {
        next++;
      }
      start = next + 1;
    }
    return false;
  }

  /** Whether any live process is in group {@code pgid}. */
  public boolean groupAlive(long pgid) {
    return !members(pgid).isEmpty();
  }

  /** One process's stat line, if it still exists. */
  public Optional<Entry> read(long pid) {
    try {
      String stat =
          Files.readString(
              proc.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.UTF_8);
      int close = stat.lastIndexOf(')');
      String[] f = stat.substring(close + 2).trim().split(" ");
      // After the command: state(0) ppid(1) pgrp(2) ... starttime(19)
      return Optional.of(
          new Entry(pid, Long.parseLong(f[2]), f[0].charAt(0), Long.parseLong(f[19])));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
