package org.jobhost.web;

import java.util.Collection;
import java.util.Map;

/**
 * Writes the small JSON documents of {@code /api/}: objects of strings, numbers, booleans, nested
 * objects and arrays. Stateless; thread-safe.
 */
final class Json {

  private Json() {}

  /** The value as JSON; strings stay strings. */
  static String write(Object value) {
    StringBuilder sb = new StringBuilder();
    value(sb, value, false);
    return sb.toString();
  }

  /**
   * A flat object of strings as {@code jobhost status --json} writes it: values that are plain
   * whole numbers become numbers.
   */
  static String status(Map<String, String> fields) {
    StringBuilder sb = new StringBuilder();
    value(sb, fields, true);
    return sb.toString();
  }

  private static void value(StringBuilder sb, Object v, boolean numbers) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof Map<?, ?> m) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) {
          sb.append(", ");
        }
        first = false;
        string(sb, String.valueOf(e.getKey()));
        sb.append(": ");
        value(sb, e.getValue(), numbers);
      }
      sb.append('}');
    } else if (v instanceof Collection<?> c) {
      sb.append('[');
      boolean first = true;
      for (Object o : c) {
        if (!first) {
          sb.append(", ");
        }
        first = false;
        value(sb, o, numbers);
      }
      sb.append(']');
    } else if (v instanceof Number || v instanceof Boolean) {
      sb.append(v);
    } else {
      String s = v.toString();
      if (numbers && s.matches("-?(0|[1-9][0-9]{0,17})")) {
        sb.append(s);
      } else {
        string(sb, s);
      }
    }
  }

  private static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '<' -> sb.append("\\u003c");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
