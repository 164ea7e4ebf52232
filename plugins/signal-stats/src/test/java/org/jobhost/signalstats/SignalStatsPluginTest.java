package org.jobhost.signalstats;

import static org.assertj.core.api.Assertions.assertThat;

import org.jobhost.api.Signal;
import org.jobhost.testkit.PluginHarness;
import org.junit.jupiter.api.Test;

class SignalStatsPluginTest {

  @Test
  void isBoundToUsr2ByDefault() {
    try (PluginHarness h = PluginHarness.forClassPath("signal-stats").load()) {
      h.assertNoProblems();
      assertThat(h.signal(Signal.USR2)).isEqualTo(1);
      assertThat(h.signal(Signal.WINCH)).isZero();
      assertThat(h.host().calls()).as("it only reads the stats").isEmpty();
    }
  }

  @Test
  void theSignalSettingMovesIt() {
    try (PluginHarness h =
        PluginHarness.forClassPath("signal-stats").settings("signal = \"WINCH\"").load()) {
      assertThat(h.signal(Signal.WINCH)).isEqualTo(1);
      assertThat(h.signal(Signal.USR2)).isZero();
    }
  }

  @Test
  void aSignalTheJvmReservesIsRefusedAtLoadWithTheAdviceToUseUsr2() {
    try (PluginHarness h =
        PluginHarness.forClassPath("signal-stats").settings("signal = \"QUIT\"").load()) {
      assertThat(h.problems())
          .singleElement()
          .asString()
          .contains("wants SIGQUIT, which the JVM reserves")
          .contains("USR2");
    }
  }

  @Test
  void anUnknownSignalNameDisablesTheHookNamingTheKeyAndLine() {
    try (PluginHarness h =
        PluginHarness.forClassPath("signal-stats").settings("\nsignal = \"NOPE\"").load()) {
      assertThat(h.problems())
          .singleElement()
          .asString()
          .contains("plugins.signal-stats.signal is invalid")
          .contains("settings.toml line 2");
    }
  }
}
