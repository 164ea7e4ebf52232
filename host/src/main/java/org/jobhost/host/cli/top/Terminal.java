package org.jobhost.host.cli.top;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The controlling terminal in the mode {@code top} needs: keys one at a time without echo ({@code
 * stty -icanon -echo} on {@code /dev/tty}, so Ctrl-C still sends INT), the alternate screen, the
 * cursor hidden. {@link #close()} puts back the settings saved at {@link #open()} (its {@code stty
 * -g}); a shutdown hook does the same when INT, TERM or HUP end the JVM. Keys are read by one
 * daemon thread ("jobhost-top-keys"), which blocks on the terminal and ends with the process.
 * Thread-safe.
 */
final class Terminal implements AutoCloseable {

  private static final String TTY = "/dev/tty";
  private static final String ENTER = "\033[?1049h\033[?25l";
  private static final String LEAVE = "\033[?25h\033[?1049l";

  private final String saved;
  private final PrintStream out;
  private final BlockingQueue<Integer> keys = new LinkedBlockingQueue<>();
  private final AtomicBoolean restored = new AtomicBoolean();
  private final Thread hook;

  private Terminal(String saved, PrintStream out) {
    this.saved = saved;
    this.out = out;
    this.hook = new Thread(this::restore, "jobhost-top-restore");
  }

  /** Whether file descriptor {@code fd} (1 stdout, 2 stderr) is a terminal. */
  static boolean isTerminal(int fd) {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /**
   * Switches the terminal into the mode {@code top} needs.
   *
   * @throws IOException when {@code stty} fails (no controlling terminal)
   */
  static Terminal open(PrintStream out) throws IOException {
    String saved = stty("-g").trim();
    Terminal t = new Terminal(saved, out);
    Runtime.getRuntime().addShutdownHook(t.hook);
    stty("-icanon", "-echo", "min", "1", "time", "0");
    out.print(ENTER);
    out.flush();
    Thread reader = new Thread(t::readKeys, "jobhost-top-keys");
    reader.setDaemon(true);
    reader.start();
    return t;
  }

  /** Rows and columns now; 24 × 80 when the terminal does not say. */
  int[] size() {
    try {
      String[] rc = stty("size").trim().split("\\s+");
      int rows = Integer.parseInt(rc[0]);
      int cols = Integer.parseInt(rc[1]);
      if (rows > 0 && cols > 0) {
        return new int[] {rows, cols};
      }
    } catch (IOException | RuntimeException e) {
      // fall through to the classic size
    }
    return new int[] {24, 80};
  }

  /** Draws {@code lines} over the whole screen. */
  void draw(List<String> lines) {
    // No line feed after the last line: on the bottom row it would scroll the screen.
    StringBuilder sb = new StringBuilder("\033[H");
    for (int i = 0; i < lines.size(); i++) {
      sb.append(i == 0 ? "" : "\r\n").append(lines.get(i)).append("\033[K");
    }
    sb.append("\033[J");
    out.print(sb);
    out.flush();
  }

  /** The next key typed within {@code millis}, or -1. */
  int key(long millis) throws InterruptedException {
    Integer k = keys.poll(millis, TimeUnit.MILLISECONDS);
    return k == null ? -1 : k;
  }

  private void readKeys() {
    try (InputStream in = new FileInputStream(TTY)) {
      int b;
      while ((b = in.read()) >= 0) {
        keys.add(b);
      }
    } catch (IOException e) {
      keys.add((int) 'q');
    }
  }

  /** Puts the terminal back as it was; idempotent. */
  private void restore() {
    if (!restored.compareAndSet(false, true)) {
      return;
    }
    out.print(LEAVE);
    out.flush();
    try {
      stty(saved);
    } catch (IOException e) {
      System.err.println(
          "jobhost top: cannot restore the terminal (" + e.getMessage() + "); run 'stty sane'");
    }
  }

  @Override
  public void close() {
    restore();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the hook runs (and does nothing more)
    }
  }

  private static String stty(String... args) throws IOException {
    List<String> cmd = new java.util.ArrayList<>();
    cmd.add("stty");
    cmd.addAll(List.of(args));
    Process p =
        new ProcessBuilder(cmd)
            .redirectInput(new File(TTY))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException("stty " + String.join(" ", args) + " failed on " + TTY);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running stty", e);
    }
    return text;
  }
}
