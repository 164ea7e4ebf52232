package org.jobhost.host;

/** The process exit codes of {@code jobhost}; the README's table lists the same. */
public final class ExitCodes {

  /** Success. */
  public static final int OK = 0;

  /** A runtime or start-up failure. */
  public static final int FAILURE = 1;

  /** A usage error on the command line. */
  public static final int USAGE = 2;

  /** The configuration is invalid (sysexits EX_CONFIG). */
  public static final int CONFIG = 78;

  private ExitCodes() {}
}
