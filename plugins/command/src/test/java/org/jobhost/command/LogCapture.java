package org.jobhost.command;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.LoggerFactory;

/**
 * Captures the {@code job.output} logger with bounded memory: the first {@link #KEPT} messages,
 * every truncation marker, a count, and the distinct MDC job ids and levels seen. Thread-safe
 * (logback serialises {@code append}; readers get copies).
 */
final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {

  static final int KEPT = 1000;

  private final List<String> messages = new ArrayList<>();
  private final List<String> markers = new ArrayList<>();
  private final Set<String> jobIds = ConcurrentHashMap.newKeySet();
  private final Set<Level> levels = ConcurrentHashMap.newKeySet();
  private final AtomicLong count = new AtomicLong();
  private final Logger logger;

  private LogCapture(Logger logger) {
    this.logger = logger;
  }

  /** Attaches to the job output logger. */
  static LogCapture jobOutput() {
    Logger logger = (Logger) LoggerFactory.getLogger(OutputPump.LOGGER);
    LogCapture capture = new LogCapture(logger);
    capture.setContext(logger.getLoggerContext());
    capture.start();
    logger.addAppender(capture);
    return capture;
  }

  @Override
  protected void append(ILoggingEvent event) {
    count.incrementAndGet();
    String message = event.getFormattedMessage();
    String job = event.getMDCPropertyMap().get(OutputPump.MDC_KEY);
    jobIds.add(job == null ? "<none>" : job);
    levels.add(event.getLevel());
    synchronized (this) {
      if (messages.size() < KEPT) {
        messages.add(message);
      }
      if (message.startsWith("[output truncated")) {
        markers.add(message);
      }
    }
  }

  synchronized List<String> messages() {
    return List.copyOf(messages);
  }

  synchronized List<String> markers() {
    return List.copyOf(markers);
  }

  Set<String> jobIds() {
    return Set.copyOf(jobIds);
  }

  Set<Level> levels() {
    return Set.copyOf(levels);
  }

  long count() {
    return count.get();
  }

  @Override
  public void close() {
    logger.detachAppender(this);
    stop();
  }
}
