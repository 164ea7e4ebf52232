package org.jobhost.host.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one job type ({@code [types.<name>]}). Immutable.
 *
 * @param name the job type
 * @param timeout the default timeout of its jobs, or {@code null} for none
 * @param retry its retry policy
 * @param isolation where its jobs run
 */
public record TypeConfig(String name, Duration timeout, RetryPolicy retry, Isolation isolation) {

  /** Validates. */
  public TypeConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(isolation, "isolation");
  }
}
