package org.jobhost.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What the run records refuse, and that the message names the task or job it is about. */
class RunRecordsTest {

  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void aRequestWithoutATimeNamesItsTaskAndTheMissingField() {
    assertThatThrownBy(
            () -> new RunRequest(0, "nightly", RunRequest.Reason.RETRY, T, 2, null, null, T))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("task nightly: fireTime is required");
    assertThatThrownBy(() -> new RunRequest(0, "nightly", null, T, 1, T, null, T))
        .hasMessage("task nightly: reason is required");
  }

  @Test
  void aRequestForAttemptZeroIsRefusedNamingItsTask() {
    assertThatThrownBy(
            () -> new RunRequest(0, "nightly", RunRequest.Reason.MANUAL, T, 0, T, null, T))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("task nightly: attempt must be at least 1 (was 0)");
  }

  @Test
  void aStartWithoutItsHostNamesItsJob() {
    assertThatThrownBy(() -> new RunStart("host", null, "j-1", "command", 1, null, T, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("job j-1: host is required");
  }

  @Test
  void aStartOfAnotherSourceNeedsNoTaskNorFireTime() {
    RunStart s = new RunStart("host", null, "j-1", "command", 1, null, T, "a");

    assertThat(s.task()).isNull();
    assertThat(s.fireTime()).isNull();
  }
}
