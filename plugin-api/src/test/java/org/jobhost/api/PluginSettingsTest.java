package org.jobhost.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PluginSettingsTest {

  private final PluginSettings settings =
      PluginSettings.of(
          "plugins.demo",
          Map.of(
              "rate",
              "fast",
              "count",
              10L,
              "every",
              "5s",
              "tasks",
              List.of(Map.of("name", "a"), Map.of("name", 3L))),
          key -> "jobhost.toml line 7");

  @Test
  void readsTypedValues() {
    assertThat(settings.integer("count", 0)).isEqualTo(10);
    assertThat(settings.duration("every", Duration.ZERO)).isEqualTo(Duration.ofSeconds(5));
    assertThat(settings.duration("missing", Duration.ofSeconds(1)))
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(settings.tables("tasks").get(0).string("name")).hasValue("a");
  }

  @Test
  void wrongTypeNamesFullKeyPlaceAndValue() {
    assertThatThrownBy(() -> settings.integer("rate", 1))
        .isInstanceOf(SettingsException.class)
        .hasMessage(
            "plugins.demo.rate must be a whole number (was the string \"fast\")"
                + " (jobhost.toml line 7)");
    assertThatThrownBy(() -> settings.tables("tasks").get(1).string("name"))
        .hasMessageStartingWith("plugins.demo.tasks[1].name must be a string (was 3)");
  }

  @Test
  void unknownKeyIsReported() {
    assertThatThrownBy(() -> settings.requireOnly(Set.of("rate", "count", "every")))
        .hasMessageContaining("plugins.demo.tasks is not a known setting");
  }
}
