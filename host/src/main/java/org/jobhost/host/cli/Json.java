package org.jobhost.host.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes {@code jobhost status --json}: a flat JSON object of strings on one line, {@code {"key":
 * "value", "n": 3}}, through Jackson's streaming generator. Thread-safe (stateless).
 */
final class Json {

  private static final JsonFactory FACTORY = new JsonFactory();
  private static final Pattern WHOLE_NUMBER = Pattern.compile("-?(0|[1-9][0-9]{0,17})");
  private static final OneLine ONE_LINE = new OneLine();

  private Json() {}

  /** The fields as one object; values that are plain whole numbers are written as numbers. */
  static String object(Map<String, String> fields) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.setPrettyPrinter(ONE_LINE);
      g.writeStartObject();
      for (Map.Entry<String, String> e : fields.entrySet()) {
        g.writeFieldName(e.getKey());
        String v = e.getValue();
        if (v != null && WHOLE_NUMBER.matcher(v).matches()) {
          g.writeNumber(v);
        } else {
          g.writeString(v == null ? "" : v);
        }
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write JSON to a string", e);
    }
    return out.toString();
  }

  /**
   * One line, a space after each colon and comma. The object is flat, so these two separators are
   * all it needs; unlike a {@code DefaultPrettyPrinter}, which counts nesting, it keeps no state
   * and one instance serves every call.
   */
  private static final class OneLine extends MinimalPrettyPrinter {
    @Override
    public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
      g.writeRaw(": ");
    }

    @Override
    public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
      g.writeRaw(", ");
    }
  }
}
