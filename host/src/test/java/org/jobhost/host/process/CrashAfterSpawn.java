package org.jobhost.host.process;

import java.nio.file.Path;

/**
 * A host that dies between spawning a child and recording its group: it starts {@code sh -c 'sleep
 * 60 & sleep 60'} for job {@code crash-1}, prints {@code spawned <pid>} and then waits to be killed
 * before the record line is written. Run in its own JVM by {@link ProcessGroupsTest}.
 */
final class CrashAfterSpawn {

  private CrashAfterSpawn() {}

  public static void main(String[] args) throws Exception {
    ProcessGroups groups =
        new ProcessGroups(
            Posix.load(),
            new ProcTable(),
            Path.of(args[0]),
            pid -> {
              System.out.println("spawned " + pid);
              System.out.flush();
              try {
                Thread.sleep(120_000);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    groups.cleanUpAfterCrash(java.time.Duration.ofSeconds(1));
    groups.start(new ProcessBuilder("sh", "-c", "sleep 60 & sleep 60"), "crash-1");
  }
}
