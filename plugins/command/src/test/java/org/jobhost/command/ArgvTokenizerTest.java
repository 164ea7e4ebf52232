package org.jobhost.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ArgvTokenizerTest {

  @Test
  void whitespaceSeparatesWordsAndRunsOfItCountOnce() {
    assertThat(ArgvTokenizer.tokenize("  ls \t -l\n /tmp  ")).containsExactly("ls", "-l", "/tmp");
  }

  @Test
  void singleQuotesKeepEverythingLiterally() {
    assertThat(ArgvTokenizer.tokenize("echo 'a  b' '\"x\\y\"' '$HOME'"))
        .containsExactly("echo", "a  b", "\"x\\y\"", "$HOME");
  }

  @Test
  void doubleQuotesUnescapeOnlyQuoteBackslashDollarAndBacktick() {
    assertThat(ArgvTokenizer.tokenize("\"say \\\"hi\\\" \\\\ \\$ \\` \\n 'it'\""))
        .containsExactly("say \"hi\" \\ $ ` \\n 'it'");
  }

  @Test
  void backslashOutsideQuotesStandsForTheNextCharacter() {
    assertThat(ArgvTokenizer.tokenize("a\\ b c\\'d \\\\")).containsExactly("a b", "c'd", "\\");
  }

  @Test
  void backslashNewlineJoinsLines() {
    assertThat(ArgvTokenizer.tokenize("ab\\\ncd \"e\\\nf\"")).containsExactly("abcd", "ef");
  }

  @Test
  void adjacentPartsMakeOneWord() {
    assertThat(ArgvTokenizer.tokenize("a'b c'\"d e\"f")).containsExactly("ab cd ef");
  }

  @Test
  void emptyQuotesAreAnEmptyWord() {
    assertThat(ArgvTokenizer.tokenize("prog '' \"\" x")).containsExactly("prog", "", "", "x");
  }

  @Test
  void nothingIsExpanded() {
    assertThat(ArgvTokenizer.tokenize("echo $HOME ~ * # | > ;"))
        .containsExactly("echo", "$HOME", "~", "*", "#", "|", ">", ";");
  }

  @Test
  void blankTextHasNoWords() {
    assertThat(ArgvTokenizer.tokenize(" \t ")).isEmpty();
  }

  @Test
  void unterminatedQuoteIsRejectedNamingItsPosition() {
    assertThatThrownBy(() -> ArgvTokenizer.tokenize("echo 'abc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "has an unterminated ' quote at character 6; close it, or give the arguments exactly"
                + " as argv.0, argv.1, ...");
    assertThatThrownBy(() -> ArgvTokenizer.tokenize("echo \"a\\\""))
        .hasMessageStartingWith("has an unterminated \" quote at character 6");
  }

  @Test
  void trailingLoneBackslashIsRejected() {
    assertThatThrownBy(() -> ArgvTokenizer.tokenize("echo \\"))
        .hasMessageStartingWith("ends with a lone backslash");
  }
}
