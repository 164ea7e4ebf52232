package org.jobhost.dist.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.jobhost.dist.support.Hosts;
import org.jobhost.dist.support.SpoolFiles;
import org.jobhost.testsupport.HostConfig;
import org.jobhost.testsupport.HostProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Links, pipes, oversized and odd files dropped into a running daemon's spool: each ends in {@code
 * failed/} with its reason, a good file beside them runs, nothing stays in {@code active/}.
 */
class SpoolHostileIT {

  @TempDir Path dir;

  @RegisterExtension final Hosts hosts = new Hosts();

  @Test
  void hostileFilesEndInFailedWithTheirReasonAndAGoodFileStillRuns() throws Exception {
    HostConfig config = HostConfig.write(dir, "", "");
    Path incoming = Files.createDirectories(config.spool().resolve("incoming"));
    Path secret =
        Files.writeString(dir.resolve("secret.json"), "{\"type\": \"command\", \"params\": {}}");
    HostProcess host = hosts.start(config, "host");

    Files.createSymbolicLink(incoming.resolve("link.json"), secret);
    Process mkfifo = new ProcessBuilder("mkfifo", incoming.resolve("pipe.json").toString()).start();
    assertThat(mkfifo.waitFor()).isZero();
    Path big = dir.resolve(".big.tmp");
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(50L * 1024 * 1024);
    }
    Files.move(big, incoming.resolve("big.json"));
    SpoolFiles.drop(config.spool(), "empty.json", "");
    SpoolFiles.drop(config.spool(), "array.json", "[1, 2]");
    SpoolFiles.drop(config.spool(), "evil\nINFO forged.json", "{\"type\": \"command\"");
    SpoolFiles.drop(
        config.spool(),
        "good.json",
        "{\"type\": \"command\", \"params\": {\"shell\": \"echo fine\"}}");

    Path failed = config.spool().resolve("failed");
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                SpoolFiles.jobFiles(failed).size() == 6
                    && SpoolFiles.jobFiles(config.spool().resolve("done")).contains("good.json"));
    assertThat(error(failed, "link")).contains("is a symbolic link");
    assertThat(error(failed, "pipe")).contains("is not a regular file");
    assertThat(error(failed, "big"))
        .contains("is 52428800 bytes, more than max_file_size (1048576 bytes)");
    assertThat(error(failed, "empty")).contains("the file is empty");
    assertThat(error(failed, "array")).contains("one JSON object");
    assertThat(error(failed, "evil\nINFO forged")).contains("invalid JSON");
    assertThat(SpoolFiles.jobFiles(config.spool().resolve("active"))).isEmpty();
    assertThat(host.log())
        .contains("spool file=evil\\nINFO forged.json was moved to failed/")
        .doesNotContain("\nINFO forged.json");
    assertThat(host.isAlive()).isTrue();
  }

  private static String error(Path failed, String stem) throws IOException {
    return Files.readString(failed.resolve(stem + ".error"));
  }
}
