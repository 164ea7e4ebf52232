package org.jobhost.dist.observe;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A tmux server of its own (its own socket name, so tests never touch another tmux) with one
 * detached session running {@code sh}: a real terminal for commands that behave differently on one.
 * Keys go in with {@code send-keys}, the screen comes out with {@code capture-pane}. {@link #close}
 * kills the server and what runs in it. Not thread-safe.
 */
final class Tmux implements AutoCloseable {

  private final String socket = "jobhost-it-" + UUID.randomUUID().toString().substring(0, 8);

  /** Starts the server and a {@code columns} × {@code rows} session running {@code sh}. */
  Tmux(int columns, int rows) {
    tmux("new-session", "-d", "-s", "it", "-x", "" + columns, "-y", "" + rows, "sh");
  }

  /** Types {@code line} and Enter. */
  void type(String line) {
    tmux("send-keys", "-t", "it", "-l", line);
    tmux("send-keys", "-t", "it", "Enter");
  }

  /** Sends keys by tmux name, such as {@code q} or {@code C-c}. */
  void keys(String... keys) {
    List<String> args = new ArrayList<>(List.of("send-keys", "-t", "it"));
    args.addAll(List.of(keys));
    tmux(args.toArray(new String[0]));
  }

  /** The visible screen, one string. */
  String screen() {
    return tmux("capture-pane", "-p", "-t", "it");
  }

  /** The pid of the pane's shell. */
  long shellPid() {
    return Long.parseLong(tmux("list-panes", "-t", "it", "-F", "#{pane_pid}").trim());
  }

  /** Waits until the screen contains {@code text}; fails with the screen when it does not. */
  String awaitScreen(String text, Duration atMost) {
    String[] last = {""};
    try {
      await("the terminal shows \"" + text + "\"")
          .atMost(atMost)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> (last[0] = screen()).contains(text));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + "; the screen:\n" + last[0], e);
    }
    return last[0];
  }

  private String tmux(String... args) {
    List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException(cmd + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run tmux (apt-get install tmux)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {
    try {
      tmux("kill-server");
    } catch (IllegalStateException e) {
      // already gone
    }
  }
}
