package org.jobhost.host.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;
import org.jobhost.api.Durations;
import org.jobhost.api.Job;
import org.jobhost.api.Outcome;
import org.jobhost.api.Signal;
import org.jobhost.host.process.ProcessGroups;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a running job is made to stop: asked (interrupt, TERM and CONT to its process groups), then
 * KILL to its groups after the kill timeout, then abandoned a margin later (recorded with the
 * outcome its stop reason gives, its thread left behind). Timeouts start the same escalation.
 *
 * <p>Thread-safe: {@link #enforce} runs on the dispatcher thread, the stop requests on any thread;
 * the state lives in each {@link Execution}.
 */
final class StopEscalation {

  // Logs as the dispatcher: operators see one logger for the loop.
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  /** How long after the last KILL (or the stop, without groups) a job is abandoned. */
  static final Duration ABANDON_MARGIN = Duration.ofSeconds(1);

  private final ProcessGroups groups;
  private final BiConsumer<Execution, Outcome> finish;

  /**
   * @param groups the children's process groups
   * @param finish ends an abandoned attempt with its outcome
   */
  StopEscalation(ProcessGroups groups, BiConsumer<Execution, Outcome> finish) {
    this.groups = groups;
    this.finish = finish;
  }

  /** Asks each running job with this id to stop for the operator; returns how many were asked. */
  int stopForOperator(Iterable<Execution> running, String jobId, Instant now, Duration kill) {
    int asked = 0;
    for (Execution e : running) {
      if (e.job.id().equals(jobId) && !e.ended() && e.requestStop(Execution.StopReason.OPERATOR)) {
        List<Long> own = groups.groupsOf(e.job.id());
        log.info(
            "job={} stop requested by the operator{}",
            jobId,
            own.isEmpty() ? "" : " (TERM to process groups " + own + ")");
        stopNow(e, own, now, kill);
        asked++;
      }
    }
    return asked;
  }

  /**
   * Stops the running jobs that match {@code which} (job, source plugin id) because their plugin is
   * unloaded; returns how many were asked.
   */
  int stopForUnload(
      Iterable<Execution> running, BiPredicate<Job, String> which, Instant now, Duration kill) {
    int asked = 0;
    for (Execution e : running) {
      if (which.test(e.job, e.source.pluginId()) && !e.ended()) {
        e.requestStop(Execution.StopReason.UNLOAD);
        stopNow(e, groups.groupsOf(e.job.id()), now, kill);
        asked++;
      }
    }
    return asked;
  }

  /** Stops every running job because the host stops and its grace time is over. */
  void stopForShutdown(Iterable<Execution> running, Instant now, Duration kill) {
    for (Execution e : running) {
      e.requestStop(Execution.StopReason.SHUTDOWN);
      stopNow(e, groups.groupsOf(e.job.id()), now, kill);
    }
  }

  /**
   * Interrupts a job that was asked to stop and sends TERM (and CONT, so a stopped group can act on
   * it) to its process groups; KILL follows after the kill timeout, and a job that still has not
   * ended is abandoned a margin later.
   */
  void stopNow(Execution e, List<Long> own, Instant now, Duration kill) {
    // KILL is due kill_timeout after this TERM, also for a group that registers only later (a
    // child still being spawned when a short timeout ran out): that group must not be killed
    // at once when it appears.
    e.killAt(now.plus(kill));
    e.abandonAt(now.plus(own.isEmpty() ? ABANDON_MARGIN : kill.plus(ABANDON_MARGIN)));
    e.interrupt();
    groups.signal(own, Signal.TERM);
    groups.signal(own, Signal.CONT);
  }

  /**
   * Enforces timeouts and stop deadlines of the running jobs: a job past its deadline is asked to
   * stop, groups past their KILL time get KILL, jobs past their abandon time are abandoned. Returns
   * when the loop must look again ({@link Instant#MAX} for never).
   */
  Instant enforce(Iterable<Execution> running, Instant now, Duration kill) {
    Instant next = Instant.MAX;
    for (Execution e : running) {
      if (e.ended()) {
        continue;
      }
      if (!e.stopRequested() && !e.deadline().isAfter(now)) {
        if (e.requestStop(Execution.StopReason.TIMEOUT)) {
          List<Long> own = groups.groupsOf(e.job.id());
          log.warn(
              "job={} timed out after {}; asking it to stop{}",
              e.job.id(),
              Durations.format(e.timeout),
              own.isEmpty() ? "" : " (TERM to process groups " + own + ")");
          stopNow(e, own, now, kill);
        }
      }
      Instant abandonAt = e.abandonAt();
      if (abandonAt != null) {
        Instant at = escalate(e, abandonAt, now, kill);
        if (at.isBefore(next)) {
          next = at;
        }
      } else if (e.deadline().isBefore(next)) {
        next = e.deadline();
      }
    }
    return next;
  }

  /** KILL and abandonment of one job asked to stop; returns when it must be looked at again. */
  private Instant escalate(Execution e, Instant abandonAt, Instant now, Duration kill) {
    Instant next = Instant.MAX;
    Instant killAt = e.killAt();
    List<Long> own = groups.groupsOf(e.job.id());
    if (!own.isEmpty() && abandonAt.isBefore(killAt.plus(ABANDON_MARGIN))) {
      // A group appeared after the stop request: give it its kill_timeout.
      abandonAt = killAt.plus(ABANDON_MARGIN);
      e.abandonAt(abandonAt);
    }
    if (!killAt.isAfter(now)) {
      if (!own.isEmpty()) {
        if (e.markKilled()) {
          log.warn(
              "job={} process groups {} ignored TERM for {} ms; sending KILL",
              e.job.id(),
              own,
              Duration.between(killAt.minus(kill), now).toMillis());
        }
        groups.signal(own, Signal.KILL);
      }
    } else {
      next = killAt;
    }
    if (!abandonAt.isAfter(now)) {
      abandon(e, abandoned(e));
    } else if (abandonAt.isBefore(next)) {
      next = abandonAt;
    }
    return next;
  }

  /** The outcome of a job that was asked to stop and did not end in time. */
  static Outcome abandoned(Execution e) {
    switch (e.stopReason()) {
      case TIMEOUT:
        return Outcome.timedOut(e.timeout);
      case OPERATOR:
        return Outcome.cancelled("stopped by the operator and the job did not end in time");
      case UNLOAD:
        return Outcome.cancelled("its plugin was unloaded and the job did not end in time");
      default:
        return Outcome.cancelled("the host stopped and the job did not end in time");
    }
  }

  /** Records a job that did not end as {@code outcome}: KILL to its groups, then its one end. */
  void abandon(Execution e, Outcome outcome) {
    log.warn(
        "job={} did not end after it was asked to stop; its thread is abandoned and the job is"
            + " recorded {}",
        e.job.id(),
        outcome.kind());
    List<Long> own = groups.groupsOf(e.job.id());
    groups.signal(own, Signal.KILL);
    for (long pgid : own) {
      groups.release(pgid);
    }
    finish.accept(e, outcome);
  }
}
