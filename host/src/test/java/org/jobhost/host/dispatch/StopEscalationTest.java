package org.jobhost.host.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jobhost.api.Job;
import org.jobhost.api.JobSource;
import org.jobhost.api.Outcome;
import org.jobhost.host.plugins.Contribution;
import org.jobhost.host.process.Posix;
import org.jobhost.host.process.ProcTable;
import org.jobhost.host.process.ProcessGroups;
import org.junit.jupiter.api.Test;

class StopEscalationTest {

  private static final Instant START = Instant.parse("2026-12-04T10:00:00Z");
  private static final Duration KILL = Duration.ofSeconds(5);

  private final ProcessGroups groups = new ProcessGroups(Posix.load(), new ProcTable(), null);
  private final List<String> ended = new ArrayList<>();
  private final StopEscalation stops =
      new StopEscalation(
          groups,
          (e, o) -> {
            if (e.claimEnd()) {
              ended.add(e.job.id() + ":" + o.kind() + ":" + o.message());
            }
          });

  private static Execution attempt(String id, Duration timeout) {
    return new Execution(
        new Polled(
            new Job(id, "t", Map.of()), new Contribution<JobSource>(new Fakes.Source(), "src")),
        timeout,
        START,
        null,
        KILL);
  }

  @Test
  void aRunningJobIsLookedAtAgainAtItsDeadline() {
    Execution e = attempt("1", Duration.ofSeconds(30));

    assertThat(stops.enforce(List.of(e), START, KILL)).isEqualTo(START.plusSeconds(30));
    assertThat(e.stopRequested()).isFalse();
  }

  @Test
  void withoutATimeoutNothingIsDue() {
    assertThat(stops.enforce(List.of(attempt("1", null)), START, KILL)).isEqualTo(Instant.MAX);
  }

  @Test
  void aJobPastItsDeadlineIsAskedToStopAndAbandonedAMarginLaterAsTimedOut() {
    Execution e = attempt("1", Duration.ofSeconds(30));
    Instant deadline = START.plusSeconds(30);

    Instant next = stops.enforce(List.of(e), deadline, KILL);

    assertThat(e.stopReason()).isEqualTo(Execution.StopReason.TIMEOUT);
    assertThat(next).isEqualTo(deadline.plus(StopEscalation.ABANDON_MARGIN));
    assertThat(ended).isEmpty();

    stops.enforce(List.of(e), next, KILL);

    assertThat(ended).containsExactly("1:TIMED_OUT:" + Outcome.timedOut(e.timeout).message());
  }

  @Test
  void anEndedJobIsLeftAlone() {
    Execution e = attempt("1", Duration.ofSeconds(1));
    e.claimEnd();

    assertThat(stops.enforce(List.of(e), START.plusSeconds(5), KILL)).isEqualTo(Instant.MAX);
    assertThat(e.stopRequested()).isFalse();
  }

  @Test
  void theOperatorStopsOnlyTheNamedJobAndOnlyOnce() {
    Execution one = attempt("1", null);
    Execution two = attempt("2", null);

    assertThat(stops.stopForOperator(List.of(one, two), "2", START, KILL)).isEqualTo(1);
    assertThat(stops.stopForOperator(List.of(one, two), "2", START, KILL)).isZero();
    assertThat(one.stopRequested()).isFalse();
    assertThat(two.stopReason()).isEqualTo(Execution.StopReason.OPERATOR);
    assertThat(two.abandonAt()).isEqualTo(START.plus(StopEscalation.ABANDON_MARGIN));
  }

  @Test
  void anUnloadStopsTheJobsOfThatPlugin() {
    Execution e = attempt("1", null);

    assertThat(stops.stopForUnload(List.of(e), (job, plugin) -> plugin.equals("src"), START, KILL))
        .isEqualTo(1);
    assertThat(stops.stopForUnload(List.of(e), (job, plugin) -> false, START, KILL)).isZero();
    assertThat(e.stopReason()).isEqualTo(Execution.StopReason.UNLOAD);
  }

  @Test
  void theAbandonedOutcomeSaysWhyTheJobWasStopped() {
    assertThat(abandonedAfter(Execution.StopReason.OPERATOR).message())
        .isEqualTo("stopped by the operator and the job did not end in time");
    assertThat(abandonedAfter(Execution.StopReason.UNLOAD).message())
        .isEqualTo("its plugin was unloaded and the job did not end in time");
    assertThat(abandonedAfter(Execution.StopReason.SHUTDOWN).message())
        .isEqualTo("the host stopped and the job did not end in time");
    assertThat(abandonedAfter(Execution.StopReason.TIMEOUT).kind())
        .isEqualTo(Outcome.Kind.TIMED_OUT);
  }

  @Test
  void aShutdownStopIsAbandonedAsCancelled() {
    Execution e = attempt("1", null);

    stops.stopForShutdown(List.of(e), START, KILL);
    stops.enforce(List.of(e), START.plus(StopEscalation.ABANDON_MARGIN), KILL);

    assertThat(ended)
        .containsExactly("1:CANCELLED:the host stopped and the job did not end in time");
  }

  private static Outcome abandonedAfter(Execution.StopReason reason) {
    Execution e = attempt("1", Duration.ofSeconds(10));
    e.requestStop(reason);
    return StopEscalation.abandoned(e);
  }
}
