package org.jobhost.dist.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The unprivileged user a root-started daemon switches to in these tests: {@value #NAME}, created
 * with {@code useradd --system} when missing and removed again by {@link #remove()} if it was
 * created here. Not thread-safe.
 */
final class ServiceUser {

  static final String NAME = "jobhost-sec";

  final int uid;
  private final boolean created;

  private ServiceUser(int uid, boolean created) {
    this.uid = uid;
    this.created = created;
  }

  static boolean root() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** The user, created when missing. */
  static ServiceUser ensure() throws Exception {
    boolean created = false;
    if (exec("id", "-u", NAME).code != 0) {
      Exec add =
          exec(
              "useradd",
              "--system",
              "--user-group",
              "--no-create-home",
              "--shell",
              "/usr/sbin/nologin",
              NAME);
      if (add.code != 0) {
        throw new IllegalStateException("useradd " + NAME + " failed: " + add.out);
      }
      created = true;
    }
    return new ServiceUser(Integer.parseInt(exec("id", "-u", NAME).out.trim()), created);
  }

  void remove() throws Exception {
    if (created) {
      exec("userdel", NAME);
    }
  }

  /** Gives {@code paths} to the user without following links ({@code chown -h}). */
  void own(Path... paths) throws Exception {
    for (Path p : paths) {
      Exec c = exec("chown", "-h", NAME + ":" + NAME, p.toString());
      if (c.code != 0) {
        throw new IllegalStateException("chown " + p + ": " + c.out);
      }
    }
  }

  /** Starts {@code command} as the user (runuser), output to {@code out}. */
  Process spawn(Path out, String... command) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("runuser", "-u", NAME, "--"));
    cmd.addAll(List.of(command));
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(out.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .start();
  }

  record Exec(int code, String out) {}

  static Exec exec(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(List.of(command) + " did not finish");
    }
    return new Exec(p.exitValue(), out);
  }
}
