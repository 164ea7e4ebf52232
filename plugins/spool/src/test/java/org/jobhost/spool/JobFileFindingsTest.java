package org.jobhost.spool;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Crash inputs fuzzing found in the job-file parser, as tests (enable with the fix). */
class JobFileFindingsTest {

  @TempDir Path dir;

  @Test
  void aFileThatLooksLikeUtf32IsMalformed() throws IOException {
    Path file = dir.resolve("job.json");
    try (InputStream in = getClass().getResourceAsStream("JobFileFindings/utf32-like")) {
      Files.write(file, in.readAllBytes());
    }
    assertThatThrownBy(() -> JobFile.read(file)).isInstanceOf(JobFile.Malformed.class);
  }
}
