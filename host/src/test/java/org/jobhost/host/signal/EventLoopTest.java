package org.jobhost.host.signal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.jobhost.api.Host;
import org.jobhost.api.Signal;
import org.jobhost.api.SignalEvent;
import org.jobhost.api.SignalHook;
import org.jobhost.host.dispatch.TestClock;
import org.jobhost.host.plugins.Contribution;
import org.junit.jupiter.api.Test;

class EventLoopTest {

  private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  private final EventLoop loop = new EventLoop(Clock.systemUTC(), null);

  private Contribution<SignalHook> hook(String name, boolean fail) {
    SignalHook h =
        new SignalHook() {
          @Override
          public Set<Signal> signals() {
            return Set.of(Signal.USR2);
          }

          @Override
          public void onSignal(SignalEvent event, Host host) {
            calls.add(name + ":" + event.signal() + ":" + event.coalesced());
            if (fail) {
              throw new IllegalStateException("hook " + name + " broke");
            }
          }
        };
    return new Contribution<>(h, "p-" + name);
  }

  @Test
  void builtInActionRunsBeforeTheHooksInBindingOrder() throws Exception {
    loop.builtIn(Signal.USR2, e -> calls.add("builtin"));
    loop.hook(Signal.USR2, hook("a", false));
    loop.hook(Signal.USR2, hook("b", false));

    loop.deliver(Signal.USR2);
    assertThat(loop.runOnce(Duration.ZERO)).isTrue();

    assertThat(calls).containsExactly("builtin", "a:USR2:0", "b:USR2:0");
  }

  @Test
  void throwingHookDoesNotStopTheNextHook() throws Exception {
    loop.hook(Signal.USR2, hook("a", true));
    loop.hook(Signal.USR2, hook("b", false));

    loop.deliver(Signal.USR2);
    loop.runOnce(Duration.ZERO);

    assertThat(calls).containsExactly("a:USR2:0", "b:USR2:0");
  }

  @Test
  void aBurstOfOneSignalBecomesOneEventThatCountsTheRest() throws Exception {
    loop.hook(Signal.USR2, hook("a", false));
    for (int i = 0; i < 1000; i++) {
      loop.deliver(Signal.USR2);
    }

    assertThat(loop.runOnce(Duration.ZERO)).isTrue();
    assertThat(loop.runOnce(Duration.ZERO)).isFalse();
    assertThat(calls).containsExactly("a:USR2:999");
  }

  @Test
  void differentSignalsAreHandledInArrivalOrder() throws Exception {
    loop.builtIn(Signal.HUP, e -> calls.add("HUP"));
    loop.builtIn(Signal.TSTP, e -> calls.add("TSTP"));
    loop.deliver(Signal.TSTP);
    loop.deliver(Signal.HUP);
    loop.submit("task", () -> calls.add("task"));

    while (loop.runOnce(Duration.ZERO)) {
      // drain
    }
    assertThat(calls).containsExactly("TSTP", "HUP", "task");
  }

  @Test
  void aHookSlowerThanASecondIsLoggedAsSlow() throws Exception {
    ch.qos.logback.classic.Logger logger =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(EventLoop.class);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> seen =
        new ch.qos.logback.core.read.ListAppender<>();
    seen.start();
    logger.addAppender(seen);
    TestClock clock = new TestClock();
    EventLoop timed = new EventLoop(clock, null);
    try {
      SignalHook slow =
          new SignalHook() {
            @Override
            public Set<Signal> signals() {
              return Set.of(Signal.ALRM);
            }

            @Override
            public void onSignal(SignalEvent event, Host host) {
              clock.advance(EventLoop.SLOW_HOOK.plusMillis(50));
            }
          };
      timed.hook(Signal.ALRM, new Contribution<>(slow, "sloth"));
      timed.deliver(Signal.ALRM);
      timed.runOnce(Duration.ZERO);
    } finally {
      logger.detachAppender(seen);
    }
    assertThat(seen.list)
        .extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
        .anySatisfy(
            m ->
                assertThat(m)
                    .startsWith("plugin=sloth signal hook")
                    .contains("(slow: hooks should return within 1000 ms"));
  }

  @Test
  void eventThreadRunsDeliveredSignalsAndStopsWhenClosed() throws Exception {
    java.util.concurrent.CountDownLatch seen = new java.util.concurrent.CountDownLatch(1);
    loop.builtIn(Signal.WINCH, e -> seen.countDown());
    loop.start();
    loop.deliver(Signal.WINCH);
    assertThat(seen.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    loop.close(Duration.ofSeconds(5));
  }

  @Test
  void aHookThatNeverReturnsHoldsUpLaterEventsOnlyForTheCallLimit() throws Exception {
    EventLoop bounded =
        new EventLoop(Clock.systemUTC(), null, new UnboundSignals(), Duration.ofMillis(200));
    java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
    SignalHook stuck =
        new SignalHook() {
          @Override
          public Set<Signal> signals() {
            return Set.of(Signal.WINCH);
          }

          @Override
          public void onSignal(SignalEvent event, Host host) {
            calls.add("stuck");
            try {
              never.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        };
    bounded.hook(Signal.WINCH, new Contribution<>(stuck, "p-stuck"));
    bounded.builtIn(Signal.HUP, e -> calls.add("reload"));
    try {
      bounded.deliver(Signal.WINCH);
      bounded.deliver(Signal.HUP);
      long t0 = System.nanoTime();
      assertThat(bounded.runOnce(Duration.ZERO)).isTrue();
      assertThat(bounded.runOnce(Duration.ZERO)).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
      assertThat(calls).containsExactly("stuck", "reload");

      // While the first call still hangs, the hook is skipped instead of waited for again.
      bounded.deliver(Signal.WINCH);
      t0 = System.nanoTime();
      bounded.runOnce(Duration.ZERO);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(150));
      assertThat(calls).containsExactly("stuck", "reload");
    } finally {
      never.countDown();
      bounded.close(Duration.ofSeconds(1));
    }
  }

  @Test
  void unboundSignalsAreCounted() throws Exception {
    UnboundSignals unbound = new UnboundSignals();
    EventLoop counting = new EventLoop(Clock.systemUTC(), null, unbound);
    for (int i = 0; i < 5; i++) {
      counting.deliver(Signal.ALRM);
    }
    counting.runOnce(Duration.ZERO);
    counting.deliver(Signal.ALRM);
    counting.runOnce(Duration.ZERO);

    assertThat(unbound.counts()).containsEntry(Signal.ALRM, 6L);
  }
}
