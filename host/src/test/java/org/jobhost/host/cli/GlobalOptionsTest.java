package org.jobhost.host.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class GlobalOptionsTest {

  @Test
  void configAndSetAfterAPluginCommandAreTheHosts() throws Exception {
    GlobalOptions g =
        GlobalOptions.scan(List.of("tasks", "list", "--config", "/etc/j.toml", "--set", "a=1"));

    assertThat(g.config()).isEqualTo(Path.of("/etc/j.toml"));
    assertThat(g.overrides()).containsExactly("a=1");
    assertThat(g.rest()).containsExactly("tasks", "list");
    assertThat(g.commandName()).isEqualTo("tasks");
  }

  @Test
  void everySpellingBeforeTheCommandIsTaken() throws Exception {
    GlobalOptions g =
        GlobalOptions.scan(List.of("-c", "a.toml", "--set=x=2", "--config=b.toml", "status"));

    assertThat(g.config()).isEqualTo(Path.of("b.toml"));
    assertThat(g.overrides()).containsExactly("x=2");
    assertThat(g.rest()).containsExactly("status");
  }

  @Test
  void wordsAfterTheEndOfOptionsAreLeftToTheCommand() throws Exception {
    GlobalOptions g = GlobalOptions.scan(List.of("run", "--", "--config", "x"));

    assertThat(g.config()).isNull();
    assertThat(g.rest()).containsExactly("run", "--", "--config", "x");
  }

  @Test
  void anOptionWithoutItsValueIsAUsageError() {
    assertThatThrownBy(() -> GlobalOptions.scan(List.of("tasks", "--config")))
        .hasMessage("option '--config' needs a value");
  }
}
