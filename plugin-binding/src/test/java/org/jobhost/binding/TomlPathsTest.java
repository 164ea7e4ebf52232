package org.jobhost.binding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;

class TomlPathsTest {

  private final TomlParseResult doc =
      Toml.parse(
          String.join(
              "\n",
              "[plugins.cron]",
              "zone = \"UTC\"",
              "[[plugins.cron.tasks]]",
              "name = \"a\"",
              "[[plugins.cron.tasks]]",
              "name = \"b\"",
              "argv = [\"x\", 2]"));

  @Test
  void namesTheLineOfTheDeepestPartThatExists() {
    assertThat(TomlPaths.where(doc, "plugins.cron.zone", "f.toml")).isEqualTo("f.toml line 2");
    assertThat(TomlPaths.where(doc, "plugins.cron.tasks[1].name", "f.toml"))
        .isEqualTo("f.toml line 6");
    assertThat(TomlPaths.where(doc, "plugins.cron.tasks[1].missing", "f.toml"))
        .isEqualTo("f.toml line 5");
    assertThat(TomlPaths.where(doc, "plugins.cron.tasks[7].name", "f.toml"))
        .as("an index past the end stops at the array")
        .isEqualTo("f.toml line 3");
  }

  @Test
  void aKeyTheDocumentLacksNamesTheSourceAlone() {
    assertThat(TomlPaths.where(doc, "nothing.here", "f.toml")).isEqualTo("f.toml");
    assertThat(TomlPaths.positionOf(doc, "nothing")).isNull();
  }

  @Test
  void tablesBecomePlainMapsAndListsAllTheWayDown() {
    Map<String, Object> plain = TomlPaths.plain(doc);
    @SuppressWarnings("unchecked")
    Map<String, Object> cron =
        (Map<String, Object>) ((Map<String, Object>) plain.get("plugins")).get("cron");
    assertThat(cron.get("zone")).isEqualTo("UTC");
    assertThat(cron.get("tasks"))
        .isEqualTo(List.of(Map.of("name", "a"), Map.of("name", "b", "argv", List.of("x", 2L))));
  }
}
