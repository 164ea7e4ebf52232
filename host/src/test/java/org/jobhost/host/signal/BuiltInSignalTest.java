package org.jobhost.host.signal;

import static org.assertj.core.api.Assertions.assertThat;

import org.jobhost.api.Signal;
import org.junit.jupiter.api.Test;

class BuiltInSignalTest {

  @Test
  void theDaemonActsOnTheSignalsTheReadmeNames() {
    assertThat(BuiltInSignal.signals())
        .containsExactlyInAnyOrder(
            Signal.HUP,
            Signal.INT,
            Signal.TERM,
            Signal.TSTP,
            Signal.CONT,
            Signal.USR1,
            Signal.USR2,
            Signal.TTIN,
            Signal.TTOU);
  }

  @Test
  void intAndTermBothStopGracefullyAndHupReloads() {
    assertThat(BuiltInSignal.of(Signal.INT).orElseThrow().kind())
        .isEqualTo(BuiltInSignal.Kind.STOP);
    assertThat(BuiltInSignal.of(Signal.TERM).orElseThrow().kind())
        .isEqualTo(BuiltInSignal.Kind.STOP);
    assertThat(BuiltInSignal.of(Signal.HUP).orElseThrow().kind())
        .isEqualTo(BuiltInSignal.Kind.RELOAD);
    assertThat(BuiltInSignal.of(Signal.TERM).orElseThrow().action())
        .isEqualTo("graceful stop; a second one stops at once");
  }

  @Test
  void everySignalTheJvmLetsAProgramHandleHasAnActionToShow() {
    for (Signal s : Signal.values()) {
      if (!s.reservedByJvm()) {
        assertThat(BuiltInSignal.actionOf(s)).as(s.name()).isPresent();
      }
    }
  }

  @Test
  void aSignalReservedByTheJvmHasNoActionOfItsOwn() {
    assertThat(BuiltInSignal.actionOf(Signal.QUIT)).isEmpty();
    assertThat(BuiltInSignal.of(Signal.QUIT)).isEmpty();
  }

  @Test
  void aSignalWithoutABuiltInActionSaysWhatBecomesOfIt() {
    assertThat(BuiltInSignal.actionOf(Signal.USR2))
        .hasValue("none: free for plugins; logged and counted");
    assertThat(BuiltInSignal.actionOf(Signal.ALRM))
        .hasValue("none: logged and counted; never ends jobhost");
    assertThat(BuiltInSignal.actionOf(Signal.BUS))
        .hasValue("left to the JVM (mapped-file faults); ends it");
  }

  @Test
  void aWorkerTakesEveryBuiltInSignalWhoseDefaultWouldEndOrStopIt() {
    assertThat(BuiltInSignal.takenByWorker())
        .containsExactlyInAnyOrder(
            Signal.TERM,
            Signal.INT,
            Signal.HUP,
            Signal.USR1,
            Signal.USR2,
            Signal.TSTP,
            Signal.TTIN,
            Signal.TTOU);
  }
}
