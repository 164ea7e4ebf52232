package org.jobhost.dist.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.jobhost.testsupport.HostConfig;
import org.jobhost.testsupport.Tree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flight recorder can sample the daemon's threads. HotSpot suspends a thread to sample it with
 * SIGUSR2 unless told another signal, and the daemon hands USR2 to plugin hooks from the first line
 * of {@code main}; the launcher gives the JVM another signal ({@code _JAVA_SR_SIGNUM}), so both
 * work. The control is the same run with the JVM's default signal: no sample of a job thread (the
 * few it gets are of the main thread, taken before the daemon's handler replaced the JVM's).
 */
class ProfilingIT {

  @TempDir Path dir;

  @Test
  void theFlightRecorderSamplesTheDaemonWhileUsr2StaysWithThePlugins() throws Exception {
    long withTheLaunchersSignal = jobThreadSamples(Map.of(), "launcher");
    long withUsr2 = jobThreadSamples(Map.of("_JAVA_SR_SIGNUM", "12"), "usr2");
    assertThat(withUsr2)
        .as(
            "samples of the job threads with the JVM's default signal (USR2), which the daemon"
                + " handles before any job thread exists")
        .isZero();
    assertThat(withTheLaunchersSignal)
        .as("samples of the job threads of a daemon running 3,000 jobs, as shipped")
        .isGreaterThanOrEqualTo(10);
  }

  /**
   * Runs 3,000 short in-process jobs under the flight recorder; counts its execution samples of the
   * job threads ({@code jobhost-worker-N}).
   */
  private long jobThreadSamples(Map<String, String> env, String name) throws Exception {
    Path run = Files.createDirectories(dir.resolve(name));
    Path settings = run.resolve("sampling.jfc");
    Files.writeString(
        settings,
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <configuration version="2.0">
          <event name="jdk.ExecutionSample">
            <setting name="enabled">true</setting>
            <setting name="period">1 ms</setting>
          </event>
        </configuration>
        """);
    Path recording = run.resolve("daemon.jfr");
    HostConfig cfg =
        HostConfig.bare(
            run,
            Tree.root().resolve("plugins"),
            "max_workers = 2",
            "[plugins.demo]",
            "count = 3000",
            "rate = 0",
            "work = \"0ms\"",
            "[plugins.spool]",
            "dir = \"" + run.resolve("spool") + "\"");
    Map<String, String> all = new java.util.HashMap<>(env);
    all.put(
        "JAVA_OPTS", "-XX:StartFlightRecording=filename=" + recording + ",settings=" + settings);
    File out = run.resolve("out.log").toFile();
    int code = ExitWhenIdle.run(cfg.file(), all, out, out);
    assertThat(code).as(Files.readString(out.toPath())).isZero();
    if (!env.containsKey("_JAVA_SR_SIGNUM")) {
      // The control's sampler signals the daemon's own USR2 handler, which may cut its run short.
      assertThat(Files.readString(out.toPath())).contains("completed 3000 jobs");
    }
    long samples = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
      if (e.getEventType().getName().equals("jdk.ExecutionSample")
          && e.getThread("sampledThread") != null
          && String.valueOf(e.getThread("sampledThread").getJavaName())
              .startsWith("jobhost-worker-")) {
        samples++;
      }
    }
    return samples;
  }
}
