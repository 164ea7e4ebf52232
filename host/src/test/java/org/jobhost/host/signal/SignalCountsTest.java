package org.jobhost.host.signal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.jobhost.api.Signal;
import org.junit.jupiter.api.Test;

class SignalCountsTest {

  @Test
  void countsEachSignalAndLeavesOutThoseThatNeverCame() {
    SignalCounts counts = new SignalCounts();
    counts.count(Signal.HUP);
    counts.count(Signal.USR2);
    counts.count(Signal.USR2);

    assertThat(counts.snapshot()).isEqualTo(Map.of(Signal.HUP, 1L, Signal.USR2, 2L));
  }

  @Test
  void aSnapshotDoesNotChangeAfterwards() {
    SignalCounts counts = new SignalCounts();
    counts.count(Signal.TERM);
    Map<Signal, Long> before = counts.snapshot();
    counts.count(Signal.TERM);

    assertThat(before).containsEntry(Signal.TERM, 1L);
    assertThat(counts.snapshot()).containsEntry(Signal.TERM, 2L);
  }
}
