package org.jobhost.spool;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the spool's job-file parser with arbitrary file contents: it returns a job file or throws
 * {@link JobFile.Malformed} with a message, nothing else (never an exception that would leave the
 * file in {@code active/}). Seeds in {@code JobFileFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class JobFileFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void anyFileIsAJobOrMalformedWithAReason(byte[] content) {
    try {
      JobFile job = JobFile.parse(content);
      if (job.type() == null || job.type().isEmpty()) {
        throw new AssertionError("a job file without a type was accepted");
      }
    } catch (JobFile.Malformed expected) {
      if (expected.getMessage() == null || expected.getMessage().isBlank()) {
        throw new AssertionError("Malformed without a reason", expected);
      }
    }
  }
}
