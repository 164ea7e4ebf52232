package org.jobhost.host.config;

/** Where the jobs of a type run. */
public enum Isolation {
  /** On a worker thread of the daemon. */
  THREAD,
  /** Inside a pool of worker JVMs. */
  PROCESS
}
