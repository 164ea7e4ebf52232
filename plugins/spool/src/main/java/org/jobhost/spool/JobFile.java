package org.jobhost.spool;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jobhost.api.Durations;

/**
 * A job file's content: {@code {"type": "command", "params": {...}, "timeout": "30s",
 * "max_attempts": 3}}. Only {@code type} is required; parameter values may be strings, numbers or
 * booleans (passed on as strings). Immutable.
 *
 * @param type the job type
 * @param params the runner's parameters
 * @param timeout the job's timeout, or {@code null} for the type's default
 * @param maxAttempts attempts in all, 0 for the type's default
 */
record JobFile(String type, Map<String, String> params, Duration timeout, int maxAttempts) {

  static final Set<String> KEYS = Set.of("type", "params", "timeout", "max_attempts");

  private static final JsonFactory JSON = new JsonFactory();

  JobFile {
    params = Map.copyOf(params);
  }

  /** A file that is no valid job file; the message names the line and column. */
  static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    Malformed(String message) {
      super(message);
    }
  }

  /**
   * Parses and validates a job file's bytes. Every problem with the content, however odd (invalid
   * UTF-8, a number too big, a value past the parser's limits, a top-level array), is a {@link
   * Malformed}; nothing else is thrown.
   *
   * @throws Malformed naming the problem, with its line and column when the parser knows them, and
   *     what a job file holds
   */
  static JobFile parse(byte[] content) throws Malformed {
    if (content.length == 0) {
      throw new Malformed(
          "the file is empty; a job file holds one JSON object such as "
              + "{\"type\": \"command\"}");
    }
    try (JsonParser p = JSON.createParser(content)) {
      return parse(p);
    } catch (JsonProcessingException e) {
      String at = e.getLocation() == null ? "" : " at " + where(e.getLocation());
      throw new Malformed("invalid JSON" + at + ": " + oneLine(e.getOriginalMessage()));
    } catch (IOException | RuntimeException e) {
      // The bytes are in memory: an IOException here is about their content (an encoding the
      // parser cannot decode), never about a device.
      throw new Malformed("unreadable JSON: " + oneLine(String.valueOf(e.getMessage())));
    }
  }

  private static String oneLine(String message) {
    String m = message == null ? "no detail from the parser" : message;
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < m.length() && b.length() < 300; i++) {
      char c = m.charAt(i);
      b.append(Character.isISOControl(c) ? ' ' : c);
    }
    return b.toString();
  }

  private static JobFile parse(JsonParser p) throws IOException, Malformed {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      throw problem(p, "a job file holds one JSON object such as {\"type\": \"command\"}");
    }
    JsonLocation start = p.currentTokenLocation();
    String type = null;
    Map<String, String> params = new LinkedHashMap<>();
    Duration timeout = null;
    int maxAttempts = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      JsonLocation keyAt = p.currentTokenLocation();
      JsonToken value = p.nextToken();
      switch (key) {
        case "type":
          if (value != JsonToken.VALUE_STRING || p.getText().isBlank()) {
            throw problem(p, "\"type\" must be a non-empty string such as \"command\"");
          }
          type = p.getText();
          break;
        case "params":
          if (value != JsonToken.START_OBJECT) {
            throw problem(p, "\"params\" must be an object of strings, numbers or booleans");
          }
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (!v.isScalarValue() || v == JsonToken.VALUE_NULL) {
              throw problem(
                  p, "params." + name + " must be a string, number or boolean (was " + v + ")");
            }
            params.put(name, p.getText());
          }
          break;
        case "timeout":
          if (value != JsonToken.VALUE_STRING) {
            throw problem(p, "\"timeout\" must be a duration string such as \"30s\"");
          }
          try {
            timeout = Durations.parse(p.getText());
          } catch (IllegalArgumentException e) {
            throw problem(p, "\"timeout\": " + e.getMessage());
          }
          if (timeout.isZero()) {
            timeout = null;
          }
          break;
        case "max_attempts":
          if (value != JsonToken.VALUE_NUMBER_INT
              || p.getLongValue() < 0
              || p.getLongValue() > 1000) {
            throw problem(p, "\"max_attempts\" must be a whole number from 0 to 1000");
          }
          maxAttempts = p.getIntValue();
          break;
        default:
          throw new Malformed(
              "unknown key \""
                  + key
                  + "\" at "
                  + where(keyAt)
                  + "; a job file knows only "
                  + String.join(", ", new java.util.TreeSet<>(KEYS)));
      }
    }
    if (p.nextToken() != null) {
      throw problem(p, "unexpected content after the job object");
    }
    if (type == null) {
      throw new Malformed(
          "the object at " + where(start) + " has no \"type\"; add one such as \"command\"");
    }
    return new JobFile(type, params, timeout, maxAttempts);
  }

  private static Malformed problem(JsonParser p, String message) {
    return new Malformed(message + " (at " + where(p.currentTokenLocation()) + ")");
  }

  private static String where(JsonLocation at) {
    if (at == null) {
      return "an unknown position";
    }
    return "line " + at.getLineNr() + " column " + at.getColumnNr();
  }
}
