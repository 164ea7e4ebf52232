package org.jobhost.host.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import org.jobhost.api.Job;
import org.jobhost.api.Outcome;
import org.jobhost.host.config.Isolation;
import org.jobhost.host.config.RetryPolicy;
import org.jobhost.host.config.TypeConfig;
import org.junit.jupiter.api.Test;

class RetryDecisionTest {

  private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");
  private static final TypeConfig THREE_ATTEMPTS =
      new TypeConfig(
          "t",
          null,
          new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofMinutes(1), 0),
          Isolation.THREAD);

  private final AtomicInteger drawn = new AtomicInteger();
  private final DoubleSupplier random =
      () -> {
        drawn.incrementAndGet();
        return 0.5;
      };

  private static Job attempt(int n, int maxAttempts) {
    return new Job("j", "t", Map.of(), null, n, maxAttempts);
  }

  private Optional<Instant> decide(Job job, Outcome outcome, boolean stopping, boolean runnable) {
    return RetryDecision.notBefore(job, outcome, stopping, runnable, THREE_ATTEMPTS, NOW, random);
  }

  @Test
  void aFailedFirstAttemptIsRetriedAfterTheTypesBackoff() {
    assertThat(decide(attempt(1, 0), Outcome.failed("x"), false, true))
        .contains(NOW.plusSeconds(1));
  }

  @Test
  void theBackoffDoublesWithEachAttempt() {
    assertThat(decide(attempt(2, 0), Outcome.timedOut(Duration.ofSeconds(5)), false, true))
        .contains(NOW.plusSeconds(2));
  }

  @Test
  void noRetryOnceTheTypesAttemptsAreUsedUp() {
    assertThat(decide(attempt(3, 0), Outcome.failed("x"), false, true)).isEmpty();
  }

  @Test
  void theJobsOwnMaximumWinsOverTheTypes() {
    assertThat(decide(attempt(3, 5), Outcome.failed("x"), false, true)).isPresent();
    assertThat(decide(attempt(1, 1), Outcome.failed("x"), false, true)).isEmpty();
  }

  @Test
  void succeededAndCancelledAttemptsAreNotRetried() {
    assertThat(decide(attempt(1, 0), Outcome.succeeded(), false, true)).isEmpty();
    assertThat(decide(attempt(1, 0), Outcome.cancelled("stop"), false, true)).isEmpty();
  }

  @Test
  void nothingIsRetriedWhileTheHostStops() {
    assertThat(decide(attempt(1, 0), Outcome.failed("x"), true, true)).isEmpty();
  }

  @Test
  void aJobNoRunnerCanRunIsNotRetried() {
    assertThat(decide(attempt(1, 0), Outcome.failed("no runner"), false, false)).isEmpty();
  }

  @Test
  void jitterIsDrawnOnlyWhenARetryIsDue() {
    decide(attempt(3, 0), Outcome.failed("x"), false, true);
    decide(attempt(1, 0), Outcome.succeeded(), false, true);
    assertThat(drawn).hasValue(0);
    decide(attempt(1, 0), Outcome.failed("x"), false, true);
    assertThat(drawn).hasValue(1);
  }
}
