package org.jobhost.host.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jobhost.host.config.DispatchMode;
import org.junit.jupiter.api.Test;

class SlotsTest {

  private final Slots slots = new Slots(2);

  @Test
  void aSlotIsTakenOnlyWhileOneIsFree() {
    assertThat(slots.take()).isTrue();
    assertThat(slots.take()).isTrue();
    assertThat(slots.take()).isFalse();
    assertThat(slots.free(DispatchMode.QUEUE)).isZero();

    slots.release();

    assertThat(slots.free(DispatchMode.QUEUE)).isEqualTo(1);
    assertThat(slots.take()).isTrue();
  }

  @Test
  void inBatchModeNothingStartsUntilTheWholeGroupHasEnded() {
    slots.take();

    assertThat(slots.free(DispatchMode.BATCH)).isZero();
    assertThat(slots.free(DispatchMode.QUEUE)).isEqualTo(1);

    slots.release();

    assertThat(slots.free(DispatchMode.BATCH)).isEqualTo(2);
  }

  @Test
  void shrinkingBelowWhatRunsLeavesNoFreeSlotButTakesNoneAway() {
    slots.take();
    slots.take();
    slots.resize(1);

    assertThat(slots.free(DispatchMode.QUEUE)).isEqualTo(-1);
    assertThat(slots.take()).isFalse();
    assertThat(slots.max()).isEqualTo(1);
  }

  @Test
  void aSizeOutsideOneToTheLimitIsRefusedAndNamesTheRange() {
    assertThatThrownBy(() -> slots.resize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("max_workers must be between 1 and 4096 (was 0)");
    assertThat(slots.max()).isEqualTo(2);
  }
}
