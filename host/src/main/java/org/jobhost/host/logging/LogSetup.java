package org.jobhost.host.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.joran.spi.JoranException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import org.jobhost.host.config.LogFormat;
import org.slf4j.LoggerFactory;

/**
 * Sets up logback for the daemon from {@code conf/logback.xml} (with {@code LOG_DIR} set to the
 * configured {@code log_dir}; while the file is as shipped, in code: {@link ShippedLogging}) and
 * reopens log files on USR1, so that logrotate can move them. Thread-safe.
 */
public final class LogSetup {

  private static final org.slf4j.Logger log = LoggerFactory.getLogger(LogSetup.class);

  private LogSetup() {}

  /**
   * Configures logging from {@code file} with {@code LOG_DIR = logDir}; keeps the built-in console
   * set-up when the file does not exist.
   *
   * @throws IOException when the log directory cannot be created
   */
  public static void apply(Path file, Path logDir) throws IOException {
    apply(file, logDir, LogFormat.TEXT, null);
  }

  /**
   * Configures logging from {@code file} with {@code LOG_DIR = logDir}, then in {@code format} (see
   * {@link LogStyle}): JSON lines everywhere, or, for text on systemd's journal stream, console
   * lines with priority prefixes and no timestamps. The built-in console set-up is kept (and
   * restyled) when the file does not exist.
   *
   * @param journalStream the value of {@code JOURNAL_STREAM}, or {@code null}
   * @throws IOException when the log directory cannot be created
   */
  public static void apply(Path file, Path logDir, LogFormat format, String journalStream)
      throws IOException {
    Files.createDirectories(logDir);
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext)) {
      return;
    }
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    boolean journal = format == LogFormat.TEXT && LogStyle.journalStream(journalStream);
    if (!Files.isRegularFile(file)) {
      LogStyle.register(ctx);
      LogStyle.apply(ctx, format, journal);
      log.info("no {}; logging to the console only", file);
      return;
    }
    configure(ctx, file, logDir);
    LogStyle.apply(ctx, format, journal);
    if (journal) {
      log.info("log lines on the console are for the journal (JOURNAL_STREAM)");
    }
  }

  /** Resets {@code ctx} and configures it from {@code file} with {@code LOG_DIR = logDir}. */
  static void configure(LoggerContext ctx, Path file, Path logDir) throws IOException {
    ctx.reset();
    ctx.putProperty("LOG_DIR", logDir.toString());
    LogEscaping.register(ctx);
    LogStyle.register(ctx);
    if (ShippedLogging.isShipped(file)) {
      ShippedLogging.configure(ctx, logDir);
      return;
    }
    JoranConfigurator joran = new JoranConfigurator();
    joran.setContext(ctx);
    try {
      joran.doConfigure(file.toFile());
    } catch (JoranException e) {
      throw new IOException("cannot apply " + file + ": " + e.getMessage(), e);
    }
  }

  /** Closes and reopens every file appender; returns how many were reopened. */
  public static int reopen() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext)) {
      return 0;
    }
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    int n = 0;
    for (ch.qos.logback.classic.Logger logger : ctx.getLoggerList()) {
      for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
        Appender<ILoggingEvent> a = it.next();
        if (a instanceof FileAppender) {
          a.stop();
          a.start();
          n++;
        }
      }
    }
    log.info("reopened {} log files", n);
    return n;
  }
}
