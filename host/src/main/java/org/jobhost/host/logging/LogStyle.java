package org.jobhost.host.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.pattern.DynamicConverter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jobhost.host.config.LogFormat;

/**
 * Changes the encoders of the appenders {@code conf/logback.xml} set up, so that an installation's
 * own (or older) file gets the same treatment: with {@code log_format = "json"} every file and
 * console appender writes logback's {@link JsonEncoder} lines (the MDC, with the job id, type and
 * plugin, is the {@code mdc} object); with text under systemd (the console is the journal's stream,
 * {@code JOURNAL_STREAM}) the console lines carry an sd-daemon(3) priority prefix such as {@code
 * <6>} and no timestamp (the journal has its own). Not thread-safe: called while logging is being
 * configured.
 */
final class LogStyle {

  /** The console pattern for the journal: {@link #JOURNAL_WORD} is the priority prefix. */
  static final String JOURNAL_PATTERN =
      "%journalPriority%-5level [%thread] %logger{20} %replace([job=%X{job}] ){'\\[job=\\] ', ''}-"
          + " %msg%n%journalEx";

  /** The conversion word of the priority prefix. */
  static final String JOURNAL_WORD = "journalPriority";

  private LogStyle() {}

  /**
   * Whether stdout or stderr is the stream systemd's journal gave this process: {@code
   * journalStream} (the value of {@code JOURNAL_STREAM}, {@code device:inode}) names one of them. A
   * daemon started from a shell inside a service, with its output redirected, keeps plain text.
   */
  static boolean journalStream(String journalStream) {
    if (journalStream == null || journalStream.isBlank()) {
      return false;
    }
    for (int fd = 1; fd <= 2; fd++) {
      try {
        Path p = Path.of("/proc/self/fd/" + fd);
        Object dev = Files.getAttribute(p, "unix:dev");
        Object ino = Files.getAttribute(p, "unix:ino");
        if (journalStream.trim().equals(dev + ":" + ino)) {
          return true;
        }
      } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
        // not on Linux, or the descriptor is closed: not the journal
      }
    }
    return false;
  }

  /** Registers the journal's conversion words in {@code ctx} (before any pattern is read). */
  static void register(LoggerContext ctx) {
    @SuppressWarnings("unchecked")
    Map<String, Supplier<DynamicConverter<?>>> rules =
        (Map<String, Supplier<DynamicConverter<?>>>)
            ctx.getObject(CoreConstants.PATTERN_RULE_REGISTRY_FOR_SUPPLIERS);
    if (rules == null) {
      rules = new HashMap<>();
      ctx.putObject(CoreConstants.PATTERN_RULE_REGISTRY_FOR_SUPPLIERS, rules);
    }
    rules.put(JOURNAL_WORD, Priority::new);
    rules.put("journalEx", PrefixedThrowable::new);
  }

  /**
   * Applies the format to every appender attached to a logger of {@code ctx}.
   *
   * @param journal whether the console is the journal's stream
   * @return how many appenders were changed
   */
  static int apply(LoggerContext ctx, LogFormat format, boolean journal) {
    Set<Appender<ILoggingEvent>> seen =
        java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    int n = 0;
    for (ch.qos.logback.classic.Logger logger : ctx.getLoggerList()) {
      for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
        Appender<ILoggingEvent> a = it.next();
        if (!seen.add(a) || !(a instanceof OutputStreamAppender)) {
          continue;
        }
        OutputStreamAppender<ILoggingEvent> out = (OutputStreamAppender<ILoggingEvent>) a;
        Encoder<ILoggingEvent> encoder = null;
        if (format == LogFormat.JSON) {
          encoder = json(ctx);
        } else if (journal && a instanceof ConsoleAppender) {
          encoder = journal(ctx);
        }
        if (encoder != null) {
          out.stop();
          out.setEncoder(encoder);
          out.start();
          n++;
        }
      }
    }
    return n;
  }

  static Encoder<ILoggingEvent> json(LoggerContext ctx) {
    JsonEncoder e = new JsonEncoder();
    e.setContext(ctx);
    e.setWithContext(false);
    e.setWithSequenceNumber(false);
    e.setWithNanoseconds(false);
    e.setWithArguments(false);
    e.setWithMessage(false);
    e.setWithFormattedMessage(true);
    e.start();
    return e;
  }

  static Encoder<ILoggingEvent> journal(LoggerContext ctx) {
    PatternLayoutEncoder e = new PatternLayoutEncoder();
    e.setContext(ctx);
    e.setPattern(JOURNAL_PATTERN);
    e.start();
    return e;
  }

  /** The sd-daemon(3) priority of a level: ERROR 3, WARN 4, INFO 6, DEBUG and TRACE 7. */
  static int priority(Level level) {
    if (level.isGreaterOrEqual(Level.ERROR)) {
      return 3;
    }
    if (level.isGreaterOrEqual(Level.WARN)) {
      return 4;
    }
    if (level.isGreaterOrEqual(Level.INFO)) {
      return 6;
    }
    return 7;
  }

  /** {@code <N>}: the priority prefix of the event's level. */
  public static final class Priority extends ClassicConverter {
    @Override
    public String convert(ILoggingEvent event) {
      return "<" + priority(event.getLevel()) + ">";
    }
  }

  /**
   * A stack trace whose every line carries the event's priority prefix: the journal reads each line
   * as a message of its own.
   */
  public static final class PrefixedThrowable extends ThrowableProxyConverter {
    @Override
    public String convert(ILoggingEvent event) {
      String trace = super.convert(event);
      if (trace.isEmpty()) {
        return trace;
      }
      String prefix = "<" + priority(event.getLevel()) + ">";
      StringBuilder sb = new StringBuilder();
      for (String line : trace.split("\n", -1)) {
        if (!line.isEmpty()) {
          sb.append(prefix).append(line).append('\n');
        }
      }
      return sb.toString();
    }
  }
}
