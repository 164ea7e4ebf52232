package org.jobhost.client;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code params} column: a flat JSON object of strings, such as {@code {"shell":"echo hi"}}.
 * Stateless and thread-safe.
 *
 * <p>A small codec of its own rather than a JSON library on purpose: this client is a jar that
 * applications put on their own class path beside their own JSON library (often another Jackson
 * version), and a flat object of strings does not justify imposing one on them. The host side reads
 * the column with this same class, so there is one format and one reader.
 */
public final class Params {

  private Params() {}

  /** Writes the parameters as a JSON object, keys sorted. */
  public static String toJson(Map<String, String> params) {
    StringBuilder b = new StringBuilder("{");
    for (Map.Entry<String, String> e : new TreeMap<>(params).entrySet()) {
      if (b.length() > 1) {
        b.append(',');
      }
      quote(b, e.getKey());
      b.append(':');
      quote(b, e.getValue());
    }
    return b.append('}').toString();
  }

  /**
   * Reads a JSON object whose values are strings, numbers, booleans or null (numbers and booleans
   * become their text; null is dropped).
   *
   * @throws IllegalArgumentException naming the offset of the first problem
   */
  public static Map<String, String> fromJson(String json) {
    Map<String, String> out = new LinkedHashMap<>();
    if (json == null || json.isBlank()) {
      return out;
    }
    Reader r = new Reader(json);
    r.expect('{');
    if (r.peek() == '}') {
      r.pos++;
      r.end();
      return out;
    }
    while (true) {
      String key = r.string();
      r.expect(':');
      String value = r.value();
      if (value != null) {
        out.put(key, value);
      }
      char c = r.next();
      if (c == '}') {
        r.end();
        return out;
      }
      if (c != ',') {
        throw r.error("expected ',' or '}'");
      }
    }
  }

  private static void quote(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          b.append("\\\"");
          break;
        case '\\':
          b.append("\\\\");
          break;
        case '\n':
          b.append("\\n");
          break;
        case '\r':
          b.append("\\r");
          break;
        case '\t':
          b.append("\\t");
          break;
        default:
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
      }
    }
    b.append('"');
  }

  private static final class Reader {
    private final String s;
    private int pos;

    Reader(String s) {
      this.s = s;
    }

    IllegalArgumentException error(String what) {
      return new IllegalArgumentException(
          "params are no flat JSON object of strings: " + what + " at offset " + pos);
    }

    char peek() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
      if (pos >= s.length()) {
        throw error("unexpected end");
      }
      return s.charAt(pos);
    }

    char next() {
      char c = peek();
      pos++;
      return c;
    }

    void expect(char c) {
      if (next() != c) {
        pos--;
        throw error("expected '" + c + "'");
      }
    }

    void end() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
      if (pos != s.length()) {
        throw error("trailing text");
      }
    }

    String value() {
      char c = peek();
      if (c == '"') {
        return string();
      }
      int start = pos;
      while (pos < s.length() && ",} \t\r\n".indexOf(s.charAt(pos)) < 0) {
        pos++;
      }
      String word = s.substring(start, pos);
      if (word.equals("null")) {
        return null;
      }
      if (word.equals("true") || word.equals("false") || word.matches("-?[0-9][0-9.eE+-]*")) {
        return word;
      }
      pos = start;
      throw error("expected a string, number, boolean or null");
    }

    String string() {
      expect('"');
      StringBuilder b = new StringBuilder();
      while (true) {
        if (pos >= s.length()) {
          throw error("unterminated string");
        }
        char c = s.charAt(pos++);
        if (c == '"') {
          return b.toString();
        }
        if (c != '\\') {
          b.append(c);
          continue;
        }
        if (pos >= s.length()) {
          throw error("unterminated escape");
        }
        char e = s.charAt(pos++);
        switch (e) {
          case 'n':
            b.append('\n');
            break;
          case 'r':
            b.append('\r');
            break;
          case 't':
            b.append('\t');
            break;
          case 'b':
            b.append('\b');
            break;
          case 'f':
            b.append('\f');
            break;
          case 'u':
            if (pos + 4 > s.length()) {
              throw error("short \\u escape");
            }
            b.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
            pos += 4;
            break;
          default:
            b.append(e);
        }
      }
    }
  }
}
