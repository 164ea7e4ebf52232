package org.jobhost.host.config;

/** How the dispatcher fills worker slots. */
public enum DispatchMode {
  /** Start a job whenever a slot frees. */
  QUEUE,
  /** Start a group of up to max_workers jobs and wait for the whole group before the next. */
  BATCH
}
