package org.jobhost.host.logging;

import ch.qos.logback.classic.pattern.MDCConverter;
import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Context;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.pattern.DynamicConverter;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Keeps one log event on one line whatever text reaches it: a job id, a spool file name or a
 * plugin's message with a newline, carriage return or terminal escape in it cannot split a line or
 * forge one. The message ({@code %msg}, {@code %m}, {@code %message}) and MDC values ({@code %X},
 * {@code %mdc}) of every pattern are escaped: line feed as {@code \n}, carriage return as {@code
 * \r}, other control characters (C0 but tab, DEL, C1) and the Unicode line and paragraph separators
 * as {@code \}{@code uXXXX}. Stack traces ({@code %ex}) keep their lines.
 *
 * <p>The converters are registered in the logging context before the installation's {@code
 * logback.xml} is read, so an older or edited file is covered too.
 */
final class LogEscaping {

  private LogEscaping() {}

  /** Registers the escaping converters for the message and MDC words in {@code context}. */
  static void register(Context context) {
    @SuppressWarnings("unchecked")
    Map<String, Supplier<DynamicConverter<?>>> rules =
        (Map<String, Supplier<DynamicConverter<?>>>)
            context.getObject(CoreConstants.PATTERN_RULE_REGISTRY_FOR_SUPPLIERS);
    if (rules == null) {
      rules = new HashMap<>();
      context.putObject(CoreConstants.PATTERN_RULE_REGISTRY_FOR_SUPPLIERS, rules);
    }
    for (String word : new String[] {"m", "msg", "message"}) {
      rules.put(word, Message::new);
    }
    for (String word : new String[] {"X", "mdc"}) {
      rules.put(word, Mdc::new);
    }
  }

  /** {@code text} with the characters that could split or forge a log line escaped. */
  static String escape(String text) {
    if (text == null) {
      return null;
    }
    int i = 0;
    while (i < text.length() && !unsafe(text.charAt(i))) {
      i++;
    }
    if (i == text.length()) {
      return text;
    }
    StringBuilder sb = new StringBuilder(text.length() + 16).append(text, 0, i);
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!unsafe(c)) {
        sb.append(c);
      } else if (c == '\n') {
        sb.append("\\n");
      } else if (c == '\r') {
        sb.append("\\r");
      } else {
        sb.append(String.format("\\u%04x", (int) c));
      }
    }
    return sb.toString();
  }

  private static boolean unsafe(char c) {
    return (c < 0x20 && c != '\t') || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029;
  }

  /** {@code %msg} with {@link #escape}. */
  public static final class Message extends MessageConverter {
    @Override
    public String convert(ILoggingEvent event) {
      return escape(super.convert(event));
    }
  }

  /** {@code %X} with {@link #escape}. */
  public static final class Mdc extends MDCConverter {
    @Override
    public String convert(ILoggingEvent event) {
      return escape(super.convert(event));
    }
  }
}
