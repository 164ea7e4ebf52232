package org.jobhost.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jobhost.api.SettingsException;
import org.jobhost.testkit.TestPluginContext;
import org.junit.jupiter.api.Test;

class WebSettingsTest {

  private static WebSettings parse(String toml) {
    return WebSettings.from(
        TestPluginContext.builder("web").settings(toml).build().settings(), Path.of("/opt/jh"));
  }

  @Test
  void withoutTheSectionNothingIsServed() {
    assertThat(parse("").serve()).isFalse();
  }

  @Test
  void aListenAddressTurnsServingOn() {
    WebSettings s = parse("listen = \"127.0.0.1:9400\"");

    assertThat(s.serve()).isTrue();
    assertThat(s.listen().getAddress().isLoopbackAddress()).isTrue();
    assertThat(s.listen().getPort()).isEqualTo(9400);
    assertThat(s.tokenFile()).isNull();
  }

  @Test
  void enabledIsTheHostsKeyAndAloneOpensNoPort() {
    // The host keeps [plugins.web] enabled = true to itself, and so does the test kit.
    assertThat(parse("enabled = true").serve()).isFalse();
    assertThat(parse("enabled = true\nlisten = \"127.0.0.1:9400\"").serve()).isTrue();
  }

  @Test
  void ipv6AndARelativeTokenFileAreRead() {
    WebSettings s = parse("listen = \"[::1]:9321\"\ntoken_file = \"conf/web-token\"");

    assertThat(s.listen().getAddress().isLoopbackAddress()).isTrue();
    assertThat(s.listen().getPort()).isEqualTo(9321);
    assertThat(s.tokenFile()).isEqualTo(Path.of("/opt/jh/conf/web-token"));
  }

  @Test
  void aBadPortOrAnUnknownKeyIsRefusedNamingTheKey() {
    assertThatThrownBy(() -> parse("listen = \"127.0.0.1:99999\""))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("plugins.web.listen has no valid port 0 to 65535");
    assertThatThrownBy(() -> parse("listne = \"127.0.0.1:9320\""))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("plugins.web.listne is not a known setting");
  }

  @Test
  void theTokenMatchesOnlyItselfAndNoTokenMatchesNothing() {
    Token t = Token.of("0123456789abcdef");

    assertThat(t.matches("0123456789abcdef")).isTrue();
    assertThat(t.matches("0123456789abcdeF")).isFalse();
    assertThat(t.matches("")).isFalse();
    assertThat(t.matches(null)).isFalse();
    assertThat(Token.NONE.matches("0123456789abcdef")).isFalse();
  }

  @Test
  void theReadmeNamesTheLoopbackAddressTheLogSuggests() throws IOException {
    String readme = Files.readString(Path.of("..", "..", "README.md"));

    assertThat(readme)
        .contains("| `listen` |")
        .contains("(`\"" + WebSettings.DEFAULT_LISTEN + "\"` for loopback)");
  }
}
