package org.jobhost.host.worker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.jobhost.api.Job;
import org.slf4j.LoggerFactory;

/**
 * Turns what a worker JVM logs or prints into LOG frames for the host, so that nothing reaches its
 * stdout raw (stdout carries the {@link Protocol}). Thread-safe.
 */
final class WorkerOutput {

  /** Where each line goes: one LOG frame. Any thread. */
  interface Sink {
    void log(String level, String logger, String jobId, String message);
  }

  private WorkerOutput() {}

  /**
   * A stream for {@code System.out} or {@code System.err}: each printed line becomes a frame of the
   * running job.
   *
   * @param stream {@code stdout} or {@code stderr}, the frame's logger
   * @param jobId the running job's id, {@code ""} between jobs
   */
  static PrintStream printStream(String stream, Sink sink, Supplier<String> jobId) {
    return new PrintStream(new LineFramer(stream, sink, jobId), true, StandardCharsets.UTF_8);
  }

  /**
   * Sends every log event to {@code sink} instead of the configured appenders: INFO and up, the
   * host's and pf4j's own lines only from WARN.
   */
  static void routeLogging(Sink sink) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext)) {
      return;
    }
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    ctx.reset();
    FrameAppender a = new FrameAppender(sink);
    a.setContext(ctx);
    a.start();
    ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(a);
    ctx.getLogger("org.pf4j").setLevel(Level.WARN);
    ctx.getLogger("org.jobhost.host").setLevel(Level.WARN);
  }

  /** Sends each printed line to the host as a LOG frame of the running job. */
  private static final class LineFramer extends OutputStream {
    private final String stream;
    private final Sink sink;
    private final Supplier<String> jobId;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LineFramer(String stream, Sink sink, Supplier<String> jobId) {
      this.stream = stream;
      this.sink = sink;
      this.jobId = jobId;
    }

    @Override
    public synchronized void write(int b) {
      if (b == '\n' || line.size() >= 64 * 1024) {
        flushLine();
      } else {
        line.write(b);
      }
    }

    @Override
    public synchronized void flush() {
      if (line.size() > 0) {
        flushLine();
      }
    }

    private void flushLine() {
      sink.log("INFO", stream, jobId.get(), line.toString(StandardCharsets.UTF_8));
      line.reset();
    }
  }

  /** Sends every log event to the host as a LOG frame. */
  private static final class FrameAppender extends AppenderBase<ILoggingEvent> {
    private final Sink sink;

    FrameAppender(Sink sink) {
      this.sink = sink;
    }

    @Override
    protected void append(ILoggingEvent e) {
      String msg = e.getFormattedMessage();
      if (e.getThrowableProxy() != null) {
        msg = msg + "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy());
      }
      String job = e.getMDCPropertyMap().get(Job.MDC_KEY);
      sink.log(e.getLevel().toString(), e.getLoggerName(), job, msg);
    }
  }
}
