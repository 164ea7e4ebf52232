package org.jobhost.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool's published metric: job files waiting in incoming/. */
class SpoolMetricsTest {

  @TempDir Path incoming;

  @Test
  void countsJobFilesButNotTemporaryOrOtherFiles() throws Exception {
    Files.writeString(incoming.resolve("a.json"), "{}");
    Files.writeString(incoming.resolve("b.json"), "{}");
    Files.writeString(incoming.resolve(".c.json"), "{}");
    Files.writeString(incoming.resolve("notes.txt"), "");

    assertThat(SpoolSource.waiting(incoming)).isEqualTo(2);
  }
}
