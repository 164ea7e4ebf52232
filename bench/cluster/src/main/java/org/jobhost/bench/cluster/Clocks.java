package org.jobhost.bench.cluster;

import java.time.Instant;

/** Wall-clock time in epoch microseconds (the database's {@code now()} on the same machine). */
final class Clocks {

  private Clocks() {}

  static long epochMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
  }
}
