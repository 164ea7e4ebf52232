package org.jobhost.host;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * How one reload ended. Immutable.
 *
 * @param applied whether the new configuration replaced the running one
 * @param refusals why not, when not: the configuration's error, or each refusing plugin as {@code
 *     "<plugin id>: <reason>"}; empty when applied
 * @param at when it ended
 */
record ReloadResult(boolean applied, List<String> refusals, Instant at) {

  /** Validates and copies. */
  ReloadResult {
    refusals = List.copyOf(refusals);
    Objects.requireNonNull(at, "at");
    if (applied != refusals.isEmpty()) {
      throw new IllegalArgumentException(
          "a reload is applied exactly when nothing refused it (applied "
              + applied
              + ", refusals "
              + refusals
              + ")");
    }
  }

  static ReloadResult applied(Instant at) {
    return new ReloadResult(true, List.of(), at);
  }

  static ReloadResult rejected(List<String> refusals, Instant at) {
    return new ReloadResult(false, refusals, at);
  }

  /**
   * {@code "applied"}, or the refusals joined with {@code "; "}: what the service layer is told.
   */
  String detail() {
    return applied ? "applied" : String.join("; ", refusals);
  }

  /** {@code "applied"} or {@code "rejected: <why>"}, the answer to {@code jobhost reload}. */
  String outcome() {
    return applied ? "applied" : "rejected: " + detail();
  }

  /** {@code "applied at <time>"} or {@code "rejected at <time>: <why>"}, for {@code status}. */
  String describe() {
    return applied ? "applied at " + at : "rejected at " + at + ": " + detail();
  }
}
