package org.jobhost.host.worker;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jobhost.host.config.Config;
import org.jobhost.host.config.JavaRuntime;

/**
 * The command line of a worker JVM: the host's JDK and class path, a quiet stdout (the protocol's
 * pipe), the options of {@code workers.java_opts}, a class-data archive per JDK and class path, and
 * the host's own {@code --config}/{@code --set} arguments. Thread-safe.
 */
final class WorkerCommand {

  private final JavaRuntime runtime;
  private final List<String> hostArgs;

  /** Whether a worker was told to dump the archive (JDK 17, one at a time). */
  private final AtomicBoolean dumping = new AtomicBoolean();

  WorkerCommand(JavaRuntime runtime, List<String> hostArgs) {
    this.runtime = runtime;
    this.hostArgs = List.copyOf(hostArgs);
  }

  /** The command line of a worker JVM that reads {@code cfg}, its archive kept in {@code dir}. */
  List<String> build(Config cfg, Path dir) {
    List<String> c = new ArrayList<>();
    c.add(runtime.javaCommand());
    c.add("--enable-native-access=ALL-UNNAMED");
    c.add("--add-opens=java.base/java.io=ALL-UNNAMED");
    if (runtime.feature() >= 23) {
      c.add("--sun-misc-unsafe-memory-access=allow");
    }
    c.add("-XX:+UseSerialGC");
    c.add("-Xss512k");
    c.add("-XX:+ExitOnOutOfMemoryError");
    // The JVM's own messages and unified logging go to stdout by default: keep the pipe clean.
    c.add("-XX:+DisplayVMOutputToStderr");
    c.add("-Xlog:disable");
    c.add("-Xlog:all=warning:stderr");
    c.addAll(cds(dir));
    c.addAll(cfg.workers().javaOpts());
    if (runtime.home() != null) {
      c.add("-Djobhost.home=" + runtime.home());
    }
    // The SQLite library the launcher found unpacked in lib/ (bin/jobhost), so that a worker does
    // not write its own copy into the temporary directory either.
    for (String p : List.of("org.sqlite.lib.path", "org.sqlite.lib.name")) {
      String v = System.getProperty(p);
      if (v != null) {
        c.add("-D" + p + "=" + v);
      }
    }
    c.add("-cp");
    c.add(String.join(File.pathSeparator, runtime.classPath()));
    c.add(WorkerPool.MAIN);
    c.addAll(hostArgs);
    return c;
  }

  /**
   * Class-data sharing for a cheaper start: an archive per JDK and class path in {@code
   * state_dir/workers}, created by the first worker that exits normally (JDK 19+: automatically;
   * 17: by one worker with {@code -XX:ArchiveClassesAtExit}).
   */
  private List<String> cds(Path dir) {
    if (!runtime.jarsOnly()) {
      return List.of();
    }
    String key = Integer.toHexString((runtime.javaCommand() + runtime.classPath()).hashCode());
    Path archive = dir.resolve("worker-jdk" + runtime.feature() + "-" + key + ".jsa");
    if (runtime.feature() >= 19) {
      return List.of("-XX:SharedArchiveFile=" + archive, "-XX:+AutoCreateSharedArchive");
    }
    if (Files.isRegularFile(archive)) {
      return List.of("-XX:SharedArchiveFile=" + archive);
    }
    if (dumping.compareAndSet(false, true)) {
      return List.of("-XX:ArchiveClassesAtExit=" + archive);
    }
    return List.of();
  }
}
