package org.jobhost.host.cli;

import java.util.Map;

/** Writes a flat JSON object of strings (numbers as numbers). Thread-safe (stateless). */
final class Json {

  private Json() {}

  /**
   * {@code {"key": "value", "n": 3}}; values that are plain whole numbers are written as numbers.
   */
  static String object(Map<String, String> fields) {
    StringBuilder sb = new StringBuilder("{");
    for (Map.Entry<String, String> e : fields.entrySet()) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      string(sb, e.getKey());
      sb.append(": ");
      String v = e.getValue();
      if (v != null && v.matches("-?(0|[1-9][0-9]{0,17})")) {
        sb.append(v);
      } else {
        string(sb, v == null ? "" : v);
      }
    }
    return sb.append('}').toString();
  }

  static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          sb.append("\\\"");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\r':
          sb.append("\\r");
          break;
        case '\t':
          sb.append("\\t");
          break;
        default:
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }
}
