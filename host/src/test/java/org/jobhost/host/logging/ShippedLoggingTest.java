package org.jobhost.host.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.status.StatusListener;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;
import org.jobhost.host.config.LogFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.MDC;

class ShippedLoggingTest {

  @TempDir Path dir;

  private final List<LoggerContext> contexts = new ArrayList<>();

  @AfterEach
  void stop() {
    contexts.forEach(LoggerContext::stop);
  }

  @Test
  void theSetUpInCodeIsTheOneJoranMakesOfTheShippedFile() throws Exception {
    LoggerContext joran = context();
    joran.putProperty("LOG_DIR", dir.resolve("a").toString());
    LogEscaping.register(joran);
    LogStyle.register(joran);
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(joran);
    configurator.doConfigure(new ByteArrayInputStream(ShippedLogging.shipped()));

    LoggerContext code = context();
    Path shipped = dir.resolve("logback.xml");
    Files.write(shipped, ShippedLogging.shipped());
    LogSetup.configure(code, shipped, dir.resolve("a"));

    assertThat(describe(code)).isEqualTo(describe(joran));
    assertThat(describe(code))
        .contains("job.output INFO additive=false [JOBS FileAppender " + dir.resolve("a/jobs.log"))
        .contains("org.pf4j WARN")
        .contains("ROOT INFO additive=true [STDOUT ConsoleAppender");
  }

  @Test
  void aFileThatDiffersByOneByteIsReadAsWritten() throws Exception {
    String edited =
        new String(ShippedLogging.shipped(), StandardCharsets.UTF_8)
            .replace("job=%X{job} %msg%n", "job=%X{job} | %msg%n");
    Path xml = dir.resolve("logback.xml");
    Files.writeString(xml, edited);
    assertThat(ShippedLogging.isShipped(xml)).isFalse();

    LoggerContext ctx = context();
    LogSetup.configure(ctx, xml, dir);
    MDC.put("job", "j1");
    try {
      ctx.getLogger("job.output").info("hello");
    } finally {
      MDC.remove("job");
    }
    assertThat(Files.readString(dir.resolve("jobs.log"))).endsWith(" job=j1 | hello\n");
  }

  @Test
  void theShippedSetUpWritesEachKindOfLineWhereTheFileSays() throws Exception {
    Path xml = dir.resolve("logback.xml");
    Files.write(xml, ShippedLogging.shipped());
    assertThat(ShippedLogging.isShipped(xml)).isTrue();

    LoggerContext ctx = context();
    LogSetup.configure(ctx, xml, dir);
    LogStyle.apply(ctx, LogFormat.TEXT, false);
    MDC.put("job", "j\n2");
    try {
      ctx.getLogger("job.output").info("printed by the job");
      ctx.getLogger("org.jobhost.host.Daemon").info("a line of the daemon's");
      ctx.getLogger("org.pf4j.AbstractPluginManager").info("below pf4j's level");
    } finally {
      MDC.remove("job");
    }
    assertThat(Files.readAllLines(dir.resolve("jobs.log")))
        .singleElement()
        .asString()
        .endsWith(" job=j\\n2 printed by the job");
    assertThat(Files.readAllLines(dir.resolve("jobhost.log")))
        .singleElement()
        .asString()
        .endsWith(" INFO  [main] org.jobhost.host.Daemon - a line of the daemon's");
  }

  private LoggerContext context() {
    LoggerContext ctx = new LoggerContext();
    ctx.setMDCAdapter(MDC.getMDCAdapter());
    ctx.start();
    contexts.add(ctx);
    return ctx;
  }

  /** Every logger with a level or an appender, and the status listeners, as comparable text. */
  private static String describe(LoggerContext ctx) {
    TreeMap<String, String> loggers = new TreeMap<>();
    for (Logger logger : ctx.getLoggerList()) {
      List<String> appenders = new ArrayList<>();
      for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
        appenders.add(appender(it.next()));
      }
      if (logger.getLevel() != null || !appenders.isEmpty()) {
        loggers.put(
            logger.getName(),
            logger.getName()
                + " "
                + logger.getLevel()
                + " additive="
                + logger.isAdditive()
                + " "
                + appenders);
      }
    }
    List<String> listeners = new ArrayList<>();
    for (StatusListener l : ctx.getStatusManager().getCopyOfStatusListenerList()) {
      listeners.add(l.getClass().getSimpleName());
    }
    return String.join("\n", loggers.values()) + "\nstatus listeners " + listeners;
  }

  private static String appender(Appender<ILoggingEvent> a) {
    StringBuilder sb = new StringBuilder(a.getName() + " " + a.getClass().getSimpleName());
    if (a instanceof FileAppender<ILoggingEvent> f) {
      sb.append(' ')
          .append(f.getFile())
          .append(" append=")
          .append(f.isAppend())
          .append(" prudent=")
          .append(f.isPrudent());
    }
    if (a instanceof OutputStreamAppender<ILoggingEvent> o) {
      sb.append(" immediateFlush=").append(o.isImmediateFlush());
      if (o.getEncoder() instanceof PatternLayoutEncoder p) {
        sb.append(" pattern=").append(p.getPattern());
      } else {
        sb.append(" encoder=").append(o.getEncoder().getClass().getSimpleName());
      }
    }
    return sb.append(" started=").append(a.isStarted()).toString();
  }
}
