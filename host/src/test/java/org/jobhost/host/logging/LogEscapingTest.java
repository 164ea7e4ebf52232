package org.jobhost.host.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.MDC;

class LogEscapingTest {

  @TempDir Path dir;

  @Test
  void lineBreaksAndTerminalEscapesAreEscapedAndPlainTextIsKept() {
    assertThat(LogEscaping.escape("job two\nlines\r\u001b[31m\u2028\ttab"))
        .isEqualTo("job two\\nlines\\r\\u001b[31m\\u2028\ttab");
    String plain = "plugin=spool job=a.json ended SUCCEEDED";
    assertThat(LogEscaping.escape(plain)).isSameAs(plain);
    assertThat(LogEscaping.escape(null)).isNull();
  }

  @Test
  void anInstallationsLogbackFileWithThePlainMsgWordWritesOneLinePerEvent() throws Exception {
    // A logback.xml as an older installation has it: %msg and %X, no conversion rule of ours.
    Path xml = dir.resolve("logback.xml");
    Files.writeString(
        xml,
        "<configuration><appender name=\"F\" class=\"ch.qos.logback.core.FileAppender\">"
            + "<file>${LOG_DIR}/jobhost.log</file><encoder><pattern>[%X{job}] %msg%n</pattern>"
            + "</encoder></appender><root level=\"INFO\"><appender-ref ref=\"F\"/></root>"
            + "</configuration>");
    LoggerContext ctx = new LoggerContext();
    ctx.setMDCAdapter(MDC.getMDCAdapter());
    ctx.start();
    LogSetup.configure(ctx, xml, dir);
    MDC.put("job", "forged\nid");
    try {
      ctx.getLogger("t").info("job {} failed", "two\nlines.json");
      ctx.getLogger("t").warn("with a trace", new IllegalStateException("boom"));
    } finally {
      MDC.remove("job");
      ctx.stop();
    }
    List<String> lines = Files.readAllLines(dir.resolve("jobhost.log"), StandardCharsets.UTF_8);
    assertThat(lines.get(0)).isEqualTo("[forged\\nid] job two\\nlines.json failed");
    assertThat(lines.get(1)).isEqualTo("[forged\\nid] with a trace");
    assertThat(lines.get(2)).startsWith("java.lang.IllegalStateException: boom");
    assertThat(lines.size()).isGreaterThan(3);
  }
}
