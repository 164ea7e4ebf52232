package org.jobhost.api;

/**
 * How many reloads (HUP, {@code jobhost reload}, {@link Host#reload()}) the daemon applied and
 * rejected since it started. Immutable.
 *
 * @param applied reloads whose new configuration took effect
 * @param rejected reloads that kept the running configuration (a bad file, a plugin's refusal)
 */
public record ReloadCounts(long applied, long rejected) {

  /** No reload yet. */
  public static final ReloadCounts NONE = new ReloadCounts(0, 0);
}
