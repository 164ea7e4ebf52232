package org.jobhost.host.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogStyleTest {

  private static final String HOSTILE =
      "quote \" backslash \\ nul \u0000 lf \n cr \r esc \u001b[2J del \u007f c1 \u0085"
          + " ls \u2028 tab \t lone surrogate \ud800 end";

  private final LoggerContext ctx = new LoggerContext();
  private final Logger logger = ctx.getLogger("org.jobhost.test");

  private LoggingEvent event(Level level, String message, Throwable t) {
    LoggingEvent e = new LoggingEvent(Logger.class.getName(), logger, level, message, t, null);
    e.setMDCPropertyMap(Map.of("job", "j-" + HOSTILE, "type", "shell", "plugin", "spool"));
    return e;
  }

  private static String text(Encoder<ILoggingEvent> enc, ILoggingEvent e) {
    return new String(enc.encode(e), StandardCharsets.UTF_8);
  }

  @Test
  void jsonLinesStayOneValidObjectPerLineWhateverTheMessageAndCarryTheJobFields() throws Exception {
    Encoder<ILoggingEvent> json = LogStyle.json(ctx);

    String line =
        text(json, event(Level.WARN, HOSTILE, new IllegalStateException("boom\n" + HOSTILE)));

    assertThat(line).endsWith("\n");
    assertThat(line.substring(0, line.length() - 1)).doesNotContain("\n").doesNotContain("\r");
    JsonNode node = new ObjectMapper().readTree(line);
    assertThat(node.get("level").asText()).isEqualTo("WARN");
    assertThat(node.get("formattedMessage").asText())
        .startsWith("quote \" backslash \\ nul \u0000");
    assertThat(node.get("mdc").get("type").asText()).isEqualTo("shell");
    assertThat(node.get("mdc").get("plugin").asText()).isEqualTo("spool");
    assertThat(node.get("mdc").get("job").asText()).startsWith("j-quote");
    assertThat(node.has("throwable")).isTrue();
  }

  @Test
  void journalLinesStartWithThePriorityOfTheirLevelAndHaveNoTimestamp() {
    LogStyle.register(ctx);
    LogEscaping.register(ctx);
    Encoder<ILoggingEvent> journal = LogStyle.journal(ctx);

    String info = text(journal, event(Level.INFO, "job started", null));
    String error = text(journal, event(Level.ERROR, "it broke", new RuntimeException("boom")));

    assertThat(info).startsWith("<6>INFO ").doesNotContainPattern("\\d\\d:\\d\\d:\\d\\d");
    assertThat(info).contains("[job=j-quote").contains("- job started");
    assertThat(error).startsWith("<3>ERROR");
    assertThat(error.split("\n"))
        .hasSizeGreaterThan(2)
        .allSatisfy(l -> assertThat(l).startsWith("<3>"));
    assertThat(LogStyle.priority(Level.WARN)).isEqualTo(4);
    assertThat(LogStyle.priority(Level.DEBUG)).isEqualTo(7);
  }

  @Test
  void onlyAJournalStreamNamingStdoutOrStderrCounts() {
    assertThat(LogStyle.journalStream(null)).isFalse();
    assertThat(LogStyle.journalStream("")).isFalse();
    assertThat(LogStyle.journalStream("0:0")).isFalse();
  }

  @Test
  void aJournalStreamNamingThisProcesssStdoutCounts() throws Exception {
    java.nio.file.Path stdout = java.nio.file.Path.of("/proc/self/fd/1");
    String stream =
        java.nio.file.Files.getAttribute(stdout, "unix:dev")
            + ":"
            + java.nio.file.Files.getAttribute(stdout, "unix:ino");

    assertThat(LogStyle.journalStream(stream)).isTrue();
  }
}
