package org.jobhost.spool;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * Crash inputs fuzzing found in the job-file parser, as tests (each fixed, kept as a regression
 * test).
 */
class JobFileFindingsTest {

  @Test
  void aFileThatLooksLikeUtf32IsMalformed() throws IOException {
    byte[] content;
    try (InputStream in = getClass().getResourceAsStream("JobFileFindings/utf32-like")) {
      content = in.readAllBytes();
    }
    assertThatThrownBy(() -> JobFile.parse(content))
        .isInstanceOf(JobFile.Malformed.class)
        .hasMessageNotContaining("null");
  }
}
