package org.jobhost.host.worker;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jobhost.api.Job;
import org.jobhost.api.Outcome;

/**
 * The framed protocol between the host and a worker JVM, over the worker's stdin (host to worker)
 * and stdout (worker to host). A frame is a 4-byte big-endian length, then that many bytes: one
 * kind byte and the kind's fields (strings as a length and UTF-8 bytes). Stateless and thread-safe;
 * a stream's writes must be serialised by its owner.
 */
final class Protocol {

  /** The largest frame accepted; a bigger one means the stream is corrupt. */
  static final int MAX_FRAME = 16 * 1024 * 1024;

  private static final int NO_CODE = Integer.MIN_VALUE;

  /** The frame kinds. */
  enum Kind {
    /** host to worker: run a job. */
    RUN,
    /** worker to host: loaded and ready, with the types it can run. */
    READY,
    /** worker to host: a log line or a line the worker printed. */
    LOG,
    /** worker to host: a child process group of the running job was started. */
    GROUP,
    /** worker to host: the job ended. */
    DONE
  }

  /** One frame. */
  interface Message {
    Kind kind();
  }

  /** Run {@code job}; its deadline and the kill timeout come along. */
  record Run(Job job, long deadlineEpochMillis, long killTimeoutMillis) implements Message {
    @Override
    public Kind kind() {
      return Kind.RUN;
    }
  }

  /** The worker {@code pid} is ready to run jobs of {@code types}. */
  record Ready(long pid, List<String> types) implements Message {
    Ready {
      types = List.copyOf(types);
    }

    @Override
    public Kind kind() {
      return Kind.READY;
    }
  }

  /**
   * A line to log on the host: {@code level} is an slf4j level name, {@code logger} the logger (or
   * {@code "stdout"} / {@code "stderr"} for printed lines), {@code jobId} empty when none.
   */
  record Log(String jobId, String level, String logger, String message) implements Message {
    @Override
    public Kind kind() {
      return Kind.LOG;
    }
  }

  /** The job {@code jobId} started a process group {@code pgid} (leader start {@code ticks}). */
  record Group(String jobId, long pgid, long ticks) implements Message {
    @Override
    public Kind kind() {
      return Kind.GROUP;
    }
  }

  /** The job {@code jobId} ended with {@code outcome}. */
  record Done(String jobId, Outcome outcome) implements Message {
    @Override
    public Kind kind() {
      return Kind.DONE;
    }
  }

  private Protocol() {}

  /** Writes one frame and flushes. The caller serialises writes to {@code out}. */
  static void write(OutputStream out, Message m) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream(128);
    DataOutputStream d = new DataOutputStream(buf);
    d.writeByte(m.kind().ordinal());
    switch (m.kind()) {
      case RUN:
        {
          Run r = (Run) m;
          Job j = r.job();
          str(d, j.id());
          str(d, j.type());
          d.writeInt(j.params().size());
          for (Map.Entry<String, String> e : j.params().entrySet()) {
            str(d, e.getKey());
            str(d, e.getValue());
          }
          d.writeLong(j.timeout() == null ? -1 : j.timeout().toMillis());
          d.writeInt(j.attempt());
          d.writeInt(j.maxAttempts());
          d.writeLong(r.deadlineEpochMillis());
          d.writeLong(r.killTimeoutMillis());
          break;
        }
      case READY:
        {
          Ready r = (Ready) m;
          d.writeLong(r.pid());
          d.writeInt(r.types().size());
          for (String t : r.types()) {
            str(d, t);
          }
          break;
        }
      case LOG:
        {
          Log l = (Log) m;
          str(d, l.jobId());
          str(d, l.level());
          str(d, l.logger());
          str(d, l.message());
          break;
        }
      case GROUP:
        {
          Group g = (Group) m;
          str(d, g.jobId());
          d.writeLong(g.pgid());
          d.writeLong(g.ticks());
          break;
        }
      case DONE:
        {
          Done done = (Done) m;
          Outcome o = done.outcome();
          str(d, done.jobId());
          d.writeByte(o.kind().ordinal());
          str(d, o.message());
          str(d, o.output());
          d.writeInt(o.exitCode().orElse(NO_CODE));
          d.writeLong(
              o.kind() == Outcome.Kind.TIMED_OUT ? ((Outcome.TimedOut) o).limit().toMillis() : 0);
          break;
        }
      default:
        throw new IllegalArgumentException("unknown frame kind " + m.kind());
    }
    d.flush();
    if (buf.size() > MAX_FRAME) {
      throw new IOException(
          "a " + m.kind() + " frame of " + buf.size() + " bytes exceeds " + MAX_FRAME);
    }
    byte[] frame = new byte[4 + buf.size()];
    int n = buf.size();
    frame[0] = (byte) (n >>> 24);
    frame[1] = (byte) (n >>> 16);
    frame[2] = (byte) (n >>> 8);
    frame[3] = (byte) n;
    System.arraycopy(buf.toByteArray(), 0, frame, 4, n);
    out.write(frame);
    out.flush();
  }

  /**
   * Reads one frame.
   *
   * @throws EOFException when the stream ends cleanly between frames
   * @throws IOException when it ends inside a frame or the frame is malformed
   */
  static Message read(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n <= 0 || n > MAX_FRAME) {
      throw new IOException(
          "corrupt frame length " + n + " (something other than the protocol wrote to the pipe)");
    }
    byte[] body = new byte[n];
    in.readFully(body);
    DataInputStream d = new DataInputStream(new java.io.ByteArrayInputStream(body));
    int k = d.readUnsignedByte();
    if (k >= Kind.values().length) {
      throw new IOException("unknown frame kind " + k);
    }
    try {
      return decode(Kind.values()[k], d);
    } catch (IllegalArgumentException | IndexOutOfBoundsException | NullPointerException e) {
      // A value the records refuse (an attempt below 1, an unknown outcome kind): the frame is as
      // corrupt as a short one, and the caller treats both the same way.
      throw new IOException("corrupt " + Kind.values()[k] + " frame: " + e.getMessage(), e);
    }
  }

  private static Message decode(Kind frame, DataInputStream d) throws IOException {
    switch (frame) {
      case RUN:
        {
          String id = str(d);
          String type = str(d);
          int np = d.readInt();
          Map<String, String> params = new LinkedHashMap<>();
          for (int i = 0; i < np; i++) {
            params.put(str(d), str(d));
          }
          long timeout = d.readLong();
          int attempt = d.readInt();
          int max = d.readInt();
          Job job =
              new Job(
                  id, type, params, timeout < 0 ? null : Duration.ofMillis(timeout), attempt, max);
          return new Run(job, d.readLong(), d.readLong());
        }
      case READY:
        {
          long pid = d.readLong();
          int nt = d.readInt();
          List<String> types = new ArrayList<>();
          for (int i = 0; i < nt; i++) {
            types.add(str(d));
          }
          return new Ready(pid, types);
        }
      case LOG:
        return checked(new Log(str(d), str(d), str(d), str(d)));
      case GROUP:
        return new Group(str(d), d.readLong(), d.readLong());
      case DONE:
        {
          String id = str(d);
          Outcome.Kind kind = Outcome.Kind.values()[d.readUnsignedByte()];
          String message = str(d);
          String output = str(d);
          int code = d.readInt();
          long limit = d.readLong();
          return new Done(id, outcome(kind, message, output, code, limit));
        }
      default:
        throw new IOException("unknown frame kind " + frame);
    }
  }

  /** The longest log message taken from a worker; the rest is cut with a marker. */
  static final int MAX_LOG_MESSAGE = 64 * 1024;

  /** The longest logger name or job id taken from a worker. */
  static final int MAX_NAME = 200;

  private static final java.util.Set<String> LEVELS =
      java.util.Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");

  /**
   * A LOG frame made safe to log in the host: the logger name reduced to the characters of a Java
   * class name (others become {@code _}) and at most {@value #MAX_NAME} of them, so a worker cannot
   * forge log lines through it or make the host create loggers without end from odd names; an
   * unknown level becomes INFO; the job id is cut to {@value #MAX_NAME} characters and the message
   * to {@value #MAX_LOG_MESSAGE}.
   */
  static Log checked(Log l) {
    String logger = l.logger().isEmpty() ? "worker" : l.logger();
    StringBuilder name = new StringBuilder(Math.min(logger.length(), MAX_NAME));
    for (int i = 0; i < logger.length() && name.length() < MAX_NAME; i++) {
      char c = logger.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == '$'
              || c == '-';
      name.append(ok ? c : '_');
    }
    String level = LEVELS.contains(l.level()) ? l.level() : "INFO";
    String job = l.jobId().length() > MAX_NAME ? l.jobId().substring(0, MAX_NAME) : l.jobId();
    String message = l.message();
    if (message.length() > MAX_LOG_MESSAGE) {
      message =
          message.substring(0, MAX_LOG_MESSAGE)
              + " [cut: "
              + (message.length() - MAX_LOG_MESSAGE)
              + " more characters]";
    }
    return new Log(job, level, name.toString(), message);
  }

  private static Outcome outcome(
      Outcome.Kind kind, String message, String output, int code, long limit) {
    switch (kind) {
      case SUCCEEDED:
        return new Outcome.Succeeded(output);
      case FAILED:
        return new Outcome.Failed(message, code == NO_CODE ? null : code, output);
      case TIMED_OUT:
        return new Outcome.TimedOut(Duration.ofMillis(limit), output);
      default:
        return new Outcome.Cancelled(message, output);
    }
  }

  private static void str(DataOutputStream d, String s) throws IOException {
    byte[] b = (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
    d.writeInt(b.length);
    d.write(b);
  }

  private static String str(DataInputStream d) throws IOException {
    int n = d.readInt();
    if (n < 0 || n > MAX_FRAME) {
      throw new IOException("corrupt string length " + n);
    }
    byte[] b = new byte[n];
    d.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }
}
