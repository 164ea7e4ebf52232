package org.jobhost.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SignalTest {

  @Test
  void parsesFullNamesShortNamesAndNumbers() {
    assertThat(Signal.parse("SIGUSR2")).isEqualTo(Signal.USR2);
    assertThat(Signal.parse("usr2")).isEqualTo(Signal.USR2);
    assertThat(Signal.parse("12")).isEqualTo(Signal.USR2);
    assertThat(Signal.parse(" hup ")).isEqualTo(Signal.HUP);
  }

  @Test
  void numbersMatchLinux() {
    assertThat(Signal.TERM.number()).isEqualTo(15);
    assertThat(Signal.CHLD.number()).isEqualTo(17);
    assertThat(Signal.TSTP.number()).isEqualTo(20);
    assertThat(Signal.SYS.number()).isEqualTo(31);
    assertThat(Signal.values()).hasSize(31);
  }

  @Test
  void unknownSignalIsRejectedWithTheText() {
    assertThatThrownBy(() -> Signal.parse("SIGFOO"))
        .hasMessageContaining("\"SIGFOO\" is not a Linux signal");
    assertThatThrownBy(() -> Signal.parse("64")).hasMessageContaining("\"64\"");
    assertThatThrownBy(() -> Signal.parse("99999999999")).hasMessageContaining("99999999999");
  }

  @Test
  void jvmReservesQuitIllFpeSegvKillStopOnly() {
    assertThat(Signal.values())
        .filteredOn(Signal::reservedByJvm)
        .containsExactlyInAnyOrder(
            Signal.QUIT, Signal.ILL, Signal.FPE, Signal.SEGV, Signal.KILL, Signal.STOP);
  }

  @Test
  void anExitStatusAbove128NamesTheSignalThatEndedTheProcess() {
    assertThat(Signal.ofExitStatus(137)).isEqualTo(Signal.KILL);
    assertThat(Signal.ofExitStatus(143)).isEqualTo(Signal.TERM);
    assertThat(Signal.ofExitStatus(128 + 31)).isEqualTo(Signal.SYS);
    assertThat(Signal.ofExitStatus(0)).isNull();
    assertThat(Signal.ofExitStatus(3)).isNull();
    assertThat(Signal.ofExitStatus(128)).isNull();
    assertThat(Signal.ofExitStatus(128 + 34)).as("a real-time signal is not listed").isNull();
  }
}
