package org.jobhost.cron;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * Fuzzes the cron schedule parser with arbitrary expressions in several zones (DST ones included):
 * parsing either succeeds or throws {@link IllegalArgumentException} with a message naming the
 * expression, and the next fire time of a parsed schedule is computed without an exception and lies
 * after the given instant. Seeds in {@code ScheduleFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class ScheduleFuzzTest {

  private static final List<ZoneId> ZONES =
      List.of(
          ZoneId.of("UTC"),
          ZoneId.of("Europe/Berlin"),
          ZoneId.of("America/New_York"),
          ZoneId.of("Australia/Lord_Howe"),
          ZoneId.of("Asia/Kathmandu"));

  @FuzzTest(maxDuration = "30s")
  void anyExpressionParsesOrIsRefusedWithItsText(FuzzedDataProvider data) {
    ZoneId zone = ZONES.get(data.consumeInt(0, ZONES.size() - 1));
    Instant after = Instant.ofEpochSecond(data.consumeLong(0, 4_102_444_800L));
    String text = data.consumeRemainingAsString();
    Schedule s;
    try {
      s = Schedule.parse(text, zone);
    } catch (IllegalArgumentException expected) {
      if (expected.getMessage() == null || expected.getMessage().isBlank()) {
        throw new AssertionError("refused without a reason: " + text, expected);
      }
      return;
    }
    if (s.reboot()) {
      return;
    }
    Optional<Instant> next = s.next(after);
    if (next.isPresent() && !next.get().isAfter(after)) {
      throw new AssertionError(text + " fires at " + next.get() + ", not after " + after);
    }
  }
}
