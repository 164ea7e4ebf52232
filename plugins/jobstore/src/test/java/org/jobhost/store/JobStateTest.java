package org.jobhost.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JobStateTest {

  @Test
  void everyStateIsReadBackFromItsColumnValue() {
    for (JobState s : JobState.values()) {
      assertThat(JobState.ofSql(s.sql())).isEqualTo(s);
    }
    assertThat(JobState.DEAD.sql()).isEqualTo("dead");
  }

  @Test
  void anUnknownColumnValueIsRefusedWithTheStatesThereAre() {
    assertThatThrownBy(() -> JobState.ofSql("Dead"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("job state 'Dead' is none of queued, running, succeeded, dead,");
  }

  @Test
  void aLostAttemptRunsAgainUnlessItWasTheLast() {
    assertThat(JobState.afterLostAttempt(1, 3)).isEqualTo(JobState.QUEUED);
    assertThat(JobState.afterLostAttempt(3, 3)).isEqualTo(JobState.DEAD);
    assertThat(JobState.afterLostAttempt(9, 0))
        .as("0 is the type's default")
        .isEqualTo(JobState.QUEUED);
  }
}
