package org.jobhost.host.signal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jobhost.api.Signal;
import org.junit.jupiter.api.Test;

class SignalBridgeTest {

  @Test
  void aRealSignalReachesTheSink() throws Exception {
    BlockingQueue<Signal> got = new LinkedBlockingQueue<>();
    SignalBridge bridge = new SignalBridge(got::add);

    assertThat(bridge.install(Signal.WINCH)).isEqualTo(SignalBridge.Installed.OK);
    new ProcessBuilder("kill", "-WINCH", Long.toString(ProcessHandle.current().pid()))
        .start()
        .waitFor();

    assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo(Signal.WINCH);
  }

  @Test
  void signalsTheJvmReservesAreRefused() {
    SignalBridge bridge = new SignalBridge(s -> {});
    assertThat(bridge.install(Signal.QUIT)).isEqualTo(SignalBridge.Installed.REFUSED);
    assertThat(bridge.install(Signal.KILL)).isEqualTo(SignalBridge.Installed.REFUSED);
  }

  @Test
  void installingTwiceKeepsTheFirstResult() {
    SignalBridge bridge = new SignalBridge(s -> {});
    assertThat(bridge.install(Signal.URG)).isEqualTo(SignalBridge.Installed.OK);
    assertThat(bridge.install(Signal.URG)).isEqualTo(SignalBridge.Installed.OK);
    assertThat(bridge.installed()).containsEntry(Signal.URG, SignalBridge.Installed.OK);
  }
}
