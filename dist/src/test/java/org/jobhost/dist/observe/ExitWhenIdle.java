package org.jobhost.dist.observe;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jobhost.testsupport.Tree;

/**
 * Runs {@code bin/jobhost run --exit-when-idle --config <file>} of the tree under test to its end
 * (at most a minute), with extra environment variables and its stdout and stderr in files.
 * Stateless.
 */
final class ExitWhenIdle {

  private ExitWhenIdle() {}

  /** Runs it; returns the exit code. */
  static int run(Path config, Map<String, String> env, File stdout, File stderr)
      throws IOException, InterruptedException {
    return run(List.of(), config, env, stdout, stderr);
  }

  /** Runs it behind {@code prefix} (such as {@code env --ignore-signal=HUP}); the exit code. */
  static int run(
      List<String> prefix, Path config, Map<String, String> env, File stdout, File stderr)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(prefix);
    command.addAll(
        List.of(
            Tree.root().resolve("bin/jobhost").toString(),
            "run",
            "--exit-when-idle",
            "--config",
            config.toString()));
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(stdout))
            .redirectError(ProcessBuilder.Redirect.appendTo(stderr))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().remove("JOBHOST_CONFIG");
    pb.environment().remove("JOURNAL_STREAM");
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("jobhost run --exit-when-idle did not end within 60 s");
    }
    return p.exitValue();
  }
}
