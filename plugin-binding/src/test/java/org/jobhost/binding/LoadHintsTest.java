package org.jobhost.binding;

import static org.assertj.core.api.Assertions.assertThat;

import org.jobhost.api.SettingsException;
import org.junit.jupiter.api.Test;

class LoadHintsTest {

  @Test
  void aMissingClassNamesItAndSaysToShadeTheLibrary() {
    String hint =
        LoadHints.describe(new NoClassDefFoundError("com/fasterxml/jackson/core/JsonFactory"));

    assertThat(hint)
        .startsWith("java.lang.NoClassDefFoundError: com/fasterxml/jackson/core/JsonFactory;")
        .contains("the class com.fasterxml.jackson.core.JsonFactory is missing at run time")
        .contains("Shade the library into the plugin jar")
        .doesNotContain("\n");
  }

  @Test
  void aMissingClassBehindAWrapperIsFound() {
    RuntimeException wrapped =
        new IllegalStateException("start", new NoClassDefFoundError("org/x/Y"));

    assertThat(LoadHints.describe(wrapped)).contains("caused by").contains("the class org.x.Y");
  }

  @Test
  void aSettingsExceptionIsItsOwnOneLineMessage() {
    assertThat(
            LoadHints.describe(
                new SettingsException("plugins.a.b", "plugins.a.b must be\na number (f line 2)")))
        .isEqualTo("plugins.a.b must be; a number (f line 2)");
  }

  @Test
  void anythingElseIsItself() {
    assertThat(LoadHints.describe(new IllegalArgumentException("x")))
        .isEqualTo("java.lang.IllegalArgumentException: x");
  }
}
