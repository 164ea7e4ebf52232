package org.jobhost.command;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class OutputPumpTest {

  private static OutputPump pump(String output, long limit, int tailLines) {
    return new OutputPump(new ByteArrayInputStream(output.getBytes(UTF_8)), "j7", limit, tailLines);
  }

  @Test
  void everyLineIsLoggedAtInfoWithTheJobIdInTheMdc() throws Exception {
    try (LogCapture log = LogCapture.jobOutput()) {
      OutputPump pump = pump("one\ntwo\r\nthree", 1000, 10);
      pump.run();
      assertThat(log.messages()).containsExactly("one", "two", "three");
      assertThat(log.jobIds()).containsExactly("j7");
      assertThat(log.levels()).containsExactly(Level.INFO);
      assertThat(pump.awaitEnd(Duration.ZERO)).isTrue();
    }
    assertThat(MDC.get(OutputPump.MDC_KEY)).isNull();
  }

  @Test
  void linesPastTheLimitAreDroppedAfterOneMarker() {
    try (LogCapture log = LogCapture.jobOutput()) {
      pump("aaaa\nbbbb\ncccc\ndddd\n", 12, 10).run();
      assertThat(log.messages())
          .containsExactly("aaaa", "bbbb", "[output truncated after 10 bytes]");
    }
  }

  @Test
  void outputExactlyAtTheLimitIsNotTruncated() {
    try (LogCapture log = LogCapture.jobOutput()) {
      pump("aaaa\nbbbb\n", 10, 10).run();
      assertThat(log.markers()).isEmpty();
    }
  }

  @Test
  void zeroLimitLogsOnlyTheMarker() {
    try (LogCapture log = LogCapture.jobOutput()) {
      pump("x\ny\n", 0, 10).run();
      assertThat(log.messages()).containsExactly("[output truncated after 0 bytes]");
    }
  }

  @Test
  void tailKeepsTheLastLinesEvenPastTheLimit() {
    OutputPump pump = pump("1\n2\n3\n4\n5\n", 2, 2);
    pump.run();
    assertThat(pump.tail()).isEqualTo("4\n5");
  }

  @Test
  void zeroTailLinesKeepsNothing() {
    OutputPump pump = pump("1\n2\n", 100, 0);
    pump.run();
    assertThat(pump.tail()).isEmpty();
  }

  @Test
  void overlongLineIsSplitIntoBoundedPieces() {
    String longLine = "y".repeat(OutputPump.MAX_LINE_BYTES * 2 + 5);
    try (LogCapture log = LogCapture.jobOutput()) {
      OutputPump pump = pump(longLine + "\nend\n", Long.MAX_VALUE, 10);
      pump.run();
      assertThat(log.messages())
          .extracting(String::length)
          .containsExactly(OutputPump.MAX_LINE_BYTES, OutputPump.MAX_LINE_BYTES, 5, 3);
    }
  }

  @Test
  void multibyteCharactersAreDecodedAsUtf8() {
    OutputPump pump = pump("grüße ✓\n", 100, 5);
    pump.run();
    assertThat(pump.tail()).isEqualTo("grüße ✓");
  }

  @Test
  void emptyLinesAreKept() {
    OutputPump pump = pump("a\n\nb\n", 100, 5);
    pump.run();
    assertThat(pump.tail()).isEqualTo("a\n\nb");
  }

  @Test
  void controlCharactersAreEscapedInTheLogButKeptInTheTail() {
    try (LogCapture log = LogCapture.jobOutput()) {
      OutputPump pump = pump("red \u001b[31mtext\u0007\tend\rfake 2026 ERROR forged\n", 1000, 10);
      pump.run();
      assertThat(log.messages())
          .containsExactly("red \\x1b[31mtext\\x07\tend\\x0dfake 2026 ERROR forged");
      assertThat(pump.tail()).isEqualTo("red \u001b[31mtext\u0007\tend\rfake 2026 ERROR forged");
    }
  }
}
