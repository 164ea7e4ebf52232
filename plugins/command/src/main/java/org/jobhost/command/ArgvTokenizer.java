package org.jobhost.command;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits the {@code argv} param into words the way a POSIX shell splits a simple command, without
 * any expansion. Stateless, so thread-safe.
 *
 * <ul>
 *   <li>Spaces, tabs and newlines separate words; runs of them count as one.
 *   <li>{@code '...'} keeps everything up to the next {@code '} literally.
 *   <li>{@code "..."} keeps everything literally except that a backslash before {@code "}, {@code
 *       \}, {@code $} or {@code `} stands for that character, and a backslash before a newline
 *       removes both.
 *   <li>Outside quotes a backslash stands for the next character (before a newline it removes
 *       both).
 *   <li>Quoted and unquoted parts next to each other make one word; {@code ''} is an empty word.
 *   <li>Nothing else is special: {@code $HOME}, {@code *}, {@code ~}, {@code #}, {@code |} and
 *       {@code >} are passed on as written. Use the {@code shell} param for shell features.
 * </ul>
 */
final class ArgvTokenizer {

  private static final String ESCAPABLE_IN_DOUBLE_QUOTES = "\"\\$`\n";

  private ArgvTokenizer() {}

  /**
   * The words of {@code text}.
   *
   * @throws IllegalArgumentException for an unterminated quote or a trailing lone backslash; the
   *     message starts with a verb ("has ...", "ends ...") so that it reads after "param argv"
   */
  static List<String> tokenize(String text) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        i++;
      } else if (c == '\'') {
        int end = text.indexOf('\'', i + 1);
        if (end < 0) {
          throw unterminated('\'', i);
        }
        word.append(text, i + 1, end);
        inWord = true;
        i = end + 1;
      } else if (c == '"') {
        i = doubleQuoted(text, i, word);
        inWord = true;
      } else if (c == '\\') {
        if (i + 1 >= n) {
          throw new IllegalArgumentException(
              "ends with a lone backslash; write \\\\ for a backslash, or quote it");
        }
        char escaped = text.charAt(i + 1);
        if (escaped != '\n') {
          word.append(escaped);
          inWord = true;
        }
        i += 2;
      } else {
        word.append(c);
        inWord = true;
        i++;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return List.copyOf(words);
  }

  /** Appends the double-quoted part starting at {@code open}; returns the index after it. */
  private static int doubleQuoted(String text, int open, StringBuilder word) {
    int i = open + 1;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c == '"') {
        return i + 1;
      }
      if (c == '\\' && i + 1 < n && ESCAPABLE_IN_DOUBLE_QUOTES.indexOf(text.charAt(i + 1)) >= 0) {
        char escaped = text.charAt(i + 1);
        if (escaped != '\n') {
          word.append(escaped);
        }
        i += 2;
      } else {
        word.append(c);
        i++;
      }
    }
    throw unterminated('"', open);
  }

  private static IllegalArgumentException unterminated(char quote, int index) {
    return new IllegalArgumentException(
        "has an unterminated "
            + quote
            + " quote at character "
            + (index + 1)
            + "; close it, or give the arguments exactly as argv.0, argv.1, ...");
  }
}
