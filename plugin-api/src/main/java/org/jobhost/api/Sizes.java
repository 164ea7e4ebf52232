package org.jobhost.api;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The size notation of jobhost's configuration: a whole number of bytes, or a number and a unit,
 * {@code "512B"}, {@code "64KB"}, {@code "256MB"}, {@code "2GB"} (units are powers of 1024; {@code
 * KiB}, {@code MiB}, {@code GiB} are accepted too).
 */
public final class Sizes {

  private static final Pattern FORMAT =
      Pattern.compile("(\\d{1,15})\\s*(b|kb|kib|k|mb|mib|m|gb|gib|g)?");

  private Sizes() {}

  /**
   * Parses a size into bytes.
   *
   * @throws IllegalArgumentException naming the text and the accepted forms
   */
  public static long parse(String text) {
    Matcher m = FORMAT.matcher(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "\""
              + text
              + "\" is not a size; write a whole number and a unit: B, KB, MB or GB (for example \"64KB\", \"256MB\")");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "b" : m.group(2);
    switch (unit.charAt(0)) {
      case 'k':
        return Math.multiplyExact(n, 1024L);
      case 'm':
        return Math.multiplyExact(n, 1024L * 1024);
      case 'g':
        return Math.multiplyExact(n, 1024L * 1024 * 1024);
      default:
        return n;
    }
  }

  /**
   * Formats in the largest unit that represents the size exactly: {@code "64KB"}, {@code "1000B"}.
   */
  public static String format(long bytes) {
    if (bytes != 0 && bytes % (1024L * 1024 * 1024) == 0) {
      return bytes / (1024L * 1024 * 1024) + "GB";
    }
    if (bytes != 0 && bytes % (1024L * 1024) == 0) {
      return bytes / (1024L * 1024) + "MB";
    }
    if (bytes != 0 && bytes % 1024 == 0) {
      return bytes / 1024 + "KB";
    }
    return bytes + "B";
  }
}
