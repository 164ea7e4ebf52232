package org.jobhost.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes the small JSON documents of {@code /api/} (objects, arrays, strings, numbers, booleans) on
 * one line through Jackson's streaming generator. {@code <}, U+2028 and U+2029 are escaped, so a
 * document is also safe inside the dashboard's HTML. Stateless; thread-safe.
 */
final class Json {

  private static final JsonFactory FACTORY = new JsonFactory();
  private static final Pattern WHOLE_NUMBER = Pattern.compile("-?(0|[1-9][0-9]{0,17})");
  private static final HtmlSafe HTML_SAFE = new HtmlSafe();

  private Json() {}

  /** The value as JSON; strings stay strings. */
  static String write(Object value) {
    return write(value, false);
  }

  /**
   * A flat object of strings as {@code jobhost status --json} writes it: values that are plain
   * whole numbers become numbers.
   */
  static String status(Map<String, String> fields) {
    return write(fields, true);
  }

  /**
   * {@code {"status": {...}, "jobs": [...]}}: the status as {@link #status} writes it, the jobs as
   * {@link #write} does.
   */
  static String live(Views.Live live) {
    return write(
        g -> {
          g.writeStartObject();
          g.writeFieldName("status");
          value(g, live.status(), true);
          g.writeFieldName("jobs");
          value(g, live.jobs(), false);
          g.writeEndObject();
        });
  }

  private static String write(Object value, boolean numbers) {
    return write(g -> value(g, value, numbers));
  }

  private interface Body {
    void writeTo(JsonGenerator g) throws IOException;
  }

  private static String write(Body body) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.setPrettyPrinter(oneLine());
      g.setCharacterEscapes(HTML_SAFE);
      body.writeTo(g);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write JSON to a string", e);
    }
    return out.toString();
  }

  private static void value(JsonGenerator g, Object v, boolean numbers) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof Map<?, ?> m) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        g.writeFieldName(String.valueOf(e.getKey()));
        value(g, e.getValue(), numbers);
      }
      g.writeEndObject();
    } else if (v instanceof Collection<?> c) {
      g.writeStartArray();
      for (Object o : c) {
        value(g, o, numbers);
      }
      g.writeEndArray();
    } else if (v instanceof Number) {
      g.writeNumber(v.toString());
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else {
      String s = v.toString();
      if (numbers && WHOLE_NUMBER.matcher(s).matches()) {
        g.writeNumber(s);
      } else {
        g.writeString(s);
      }
    }
  }

  /** One line, a space after each colon and comma. */
  private static DefaultPrettyPrinter oneLine() {
    DefaultPrettyPrinter p =
        new DefaultPrettyPrinter(
            Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEntrySpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayValueSpacing(Separators.Spacing.AFTER)
                .withArrayEmptySeparator(""));
    p.indentObjectsWith(DefaultPrettyPrinter.NopIndenter.instance);
    p.indentArraysWith(DefaultPrettyPrinter.NopIndenter.instance);
    return p;
  }

  /** JSON's own escapes, plus {@code <} and the two line separators JavaScript does not allow. */
  private static final class HtmlSafe extends CharacterEscapes {
    private final int[] ascii = standardAsciiEscapesForJSON();

    HtmlSafe() {
      ascii['<'] = ESCAPE_CUSTOM;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return switch (ch) {
        case '<' -> new SerializedString("\\u003c");
        case 0x2028 -> new SerializedString("\\u2028");
        case 0x2029 -> new SerializedString("\\u2029");
        default -> null;
      };
    }
  }
}
