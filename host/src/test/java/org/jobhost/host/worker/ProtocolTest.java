package org.jobhost.host.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jobhost.api.Job;
import org.jobhost.api.Outcome;
import org.junit.jupiter.api.Test;

class ProtocolTest {

  private static Protocol.Message roundTrip(Protocol.Message m) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Protocol.write(out, m);
    return Protocol.read(new DataInputStream(new ByteArrayInputStream(out.toByteArray())));
  }

  @Test
  void everyFrameKindSurvivesTheRoundTrip() throws IOException {
    Job job = new Job("j-1", "t", Map.of("a", "b=c", "ü", "\n"), Duration.ofSeconds(3), 2, 5);
    List<Protocol.Message> all =
        List.of(
            new Protocol.Run(job, 123L, 5000L),
            new Protocol.Run(new Job("j-2", "t", Map.of()), Long.MAX_VALUE, 1L),
            new Protocol.Ready(42L, List.of("a", "b")),
            new Protocol.Log("j-1", "WARN", "org.x.Y", "line\nwith break"),
            new Protocol.Group("j-1", 777L, 99L),
            new Protocol.Done("j-1", Outcome.succeeded("out")),
            new Protocol.Done("j-1", Outcome.failed("why", 3, "tail")),
            new Protocol.Done("j-1", Outcome.failed("no code")),
            new Protocol.Done("j-1", new Outcome.TimedOut(Duration.ofMillis(1500), "t")),
            new Protocol.Done("j-1", new Outcome.Cancelled("stop", "")));
    for (Protocol.Message m : all) {
      assertThat(roundTrip(m)).isEqualTo(m);
    }
  }

  @Test
  void aStreamEndingBetweenFramesIsEof() {
    DataInputStream empty = new DataInputStream(new ByteArrayInputStream(new byte[0]));
    assertThatThrownBy(() -> Protocol.read(empty)).isInstanceOf(EOFException.class);
  }

  @Test
  void strayOutputOnThePipeIsReportedAsCorrupt() {
    byte[] text = "Error occurred during initialization of VM".getBytes();
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(text));
    assertThatThrownBy(() -> Protocol.read(in))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("corrupt frame length");
  }

  @Test
  void exitStatusesAboveOneHundredTwentyEightNameTheSignal() {
    assertThat(Worker.describeExit(137)).isEqualTo("was killed by SIGKILL (exit status 137)");
    assertThat(Worker.describeExit(3)).isEqualTo("exited with status 3");
  }

  @Test
  void aLogFrameIsReadWithASafeLoggerNameAKnownLevelAndABoundedMessage() throws Exception {
    java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
    String huge = "x".repeat(Protocol.MAX_LOG_MESSAGE + 10);
    Protocol.write(
        buf,
        new Protocol.Log(
            "j".repeat(500), "LOUD", "evil\n12:00 ERROR forged logger " + "a".repeat(300), huge));

    Protocol.Log l =
        (Protocol.Log)
            Protocol.read(
                new java.io.DataInputStream(new java.io.ByteArrayInputStream(buf.toByteArray())));

    org.assertj.core.api.Assertions.assertThat(l.logger())
        .hasSize(Protocol.MAX_NAME)
        .startsWith("evil_12_00_ERROR_forged_logger_")
        .matches("[A-Za-z0-9._$-]+");
    org.assertj.core.api.Assertions.assertThat(l.level()).isEqualTo("INFO");
    org.assertj.core.api.Assertions.assertThat(l.jobId()).hasSize(Protocol.MAX_NAME);
    org.assertj.core.api.Assertions.assertThat(l.message())
        .startsWith("xxx")
        .endsWith("[cut: 10 more characters]");
  }
}
