package org.jobhost.host.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The logging every jobhost process starts with, set up in code (found by logback through {@code
 * META-INF/services}): warnings and errors on stderr, one escaped line each, pf4j's own below ERROR
 * left out. This is all a command-line call ({@code status}, {@code check}, a plugin command)
 * needs, and it spares each call reading an XML file; the daemon replaces it with the
 * installation's {@code conf/logback.xml} once its configuration is read ({@link LogSetup}).
 *
 * <p>A {@code logback.configurationFile} system property (for example in {@code JAVA_OPTS}) or a
 * {@code logback-test.xml} on the class path wins: this configurator then leaves the set-up to
 * logback's own.
 */
public final class CommandLineLogging extends ContextAwareBase implements Configurator {

  /** The layout of a line on stderr. */
  static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n";

  /** For {@link java.util.ServiceLoader}. */
  public CommandLineLogging() {}

  @Override
  public ExecutionStatus configure(LoggerContext ctx) {
    if (System.getProperty("logback.configurationFile") != null
        || CommandLineLogging.class.getClassLoader().getResource("logback-test.xml") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    LogEscaping.register(ctx);
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(ctx);
    encoder.setPattern(PATTERN);
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(ctx);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.WARN);
    root.addAppender(stderr);
    ctx.getLogger("org.pf4j").setLevel(Level.ERROR);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
