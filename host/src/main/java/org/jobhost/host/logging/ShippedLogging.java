package org.jobhost.host.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.status.NopStatusListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The daemon's logging as the package ships it in {@code conf/logback.xml}, set up in code. Reading
 * that file with logback's XML configurator (Joran: a SAX parser, a model, its handlers) took about
 * a tenth of the daemon's start, for a file that most installations never edit. So while the
 * installed file is byte for byte the one the package ships ({@code logback.xml} beside this class,
 * which the build copies into {@code conf/}), the daemon builds the same appenders and loggers
 * here; a file that differs by a byte is read by Joran, as written. {@code ShippedLoggingTest}
 * holds the two set-ups to the same result. Not thread-safe: called while logging is being
 * configured.
 */
final class ShippedLogging {

  /** The console's lines: time, level, thread, logger, the job's id when there is one, message. */
  static final String CONSOLE_PATTERN =
      "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{20} %replace([job=%X{job}] ){'\\[job=\\] ',"
          + " ''}- %msg%n";

  /** {@code jobhost.log}'s lines. */
  static final String FILE_PATTERN =
      "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n";

  /** {@code jobs.log}'s lines: what jobs print, tagged with the job's id. */
  static final String JOBS_PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} job=%X{job} %msg%n";

  private static final String RESOURCE = "logback.xml";

  private ShippedLogging() {}

  /** The shipped file's bytes. */
  static byte[] shipped() {
    try (InputStream in = ShippedLogging.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "the host jar has no " + RESOURCE + " beside ShippedLogging");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the shipped " + RESOURCE, e);
    }
  }

  /** Whether {@code file} is the shipped {@code logback.xml}, unchanged. */
  static boolean isShipped(Path file) throws IOException {
    return Files.size(file) < 64 * 1024 && Arrays.equals(Files.readAllBytes(file), shipped());
  }

  /**
   * Sets up in {@code ctx} (reset, with the escaping and journal words registered) what the shipped
   * file sets up, with its {@code LOG_DIR} as {@code logDir}.
   */
  static void configure(LoggerContext ctx, Path logDir) {
    ctx.getStatusManager().add(new NopStatusListener());
    OutputStreamAppender<ILoggingEvent> stdout =
        start(ctx, new ConsoleAppender<>(), "STDOUT", CONSOLE_PATTERN);
    OutputStreamAppender<ILoggingEvent> file =
        start(ctx, file(logDir.resolve("jobhost.log")), "FILE", FILE_PATTERN);
    OutputStreamAppender<ILoggingEvent> jobs =
        start(ctx, file(logDir.resolve("jobs.log")), "JOBS", JOBS_PATTERN);

    Logger output = ctx.getLogger("job.output");
    output.setLevel(Level.INFO);
    output.setAdditive(false);
    output.addAppender(jobs);
    ctx.getLogger("org.pf4j").setLevel(Level.WARN);
    Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(stdout);
    root.addAppender(file);
  }

  private static FileAppender<ILoggingEvent> file(Path path) {
    FileAppender<ILoggingEvent> a = new FileAppender<>();
    a.setFile(path.toString());
    return a;
  }

  private static OutputStreamAppender<ILoggingEvent> start(
      LoggerContext ctx,
      OutputStreamAppender<ILoggingEvent> appender,
      String name,
      String pattern) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(ctx);
    encoder.setPattern(pattern);
    encoder.start();
    appender.setContext(ctx);
    appender.setName(name);
    appender.setEncoder(encoder);
    appender.start();
    return appender;
  }
}
