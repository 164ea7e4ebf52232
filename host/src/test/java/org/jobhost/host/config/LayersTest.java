package org.jobhost.host.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tomlj.Toml;
import org.tomlj.TomlTable;

class LayersTest {

  private static final Path FILE = Path.of("/etc/jobhost/jobhost.toml");

  private final Problems problems = new Problems();

  private Layers layers(String toml, Map<String, String> env, List<String> overrides) {
    return new Layers(FILE, Toml.parse(toml), env, overrides, problems);
  }

  @Test
  void theEnvironmentWinsOverTheFileAndTheCommandLineOverBoth() {
    Layers l =
        layers(
            "max_workers = 2\nidle_time = \"1s\"\nstrict = true",
            Map.of("JOBHOST_MAX_WORKERS", "3", "JOBHOST_IDLE_TIME", "2s"),
            List.of("max_workers=4"));

    assertThat(l.get("max_workers"))
        .isEqualTo(new Setting("max_workers", "4", "command line --set max_workers", true));
    assertThat(l.get("idle_time"))
        .isEqualTo(new Setting("idle_time", "2s", "environment variable JOBHOST_IDLE_TIME", true));
    assertThat(l.get("strict")).isEqualTo(new Setting("strict", true, FILE + " line 3", false));
    assertThat(l.has("user")).isFalse();
    assertThat(problems.isEmpty()).isTrue();
  }

  @Test
  void unknownKeysAreReportedTheSameWayAtTheTopAndInSections() {
    Layers l = layers("colour = 1\n[workers]\nmax_job = 2", Map.of(), List.of());
    TomlTable workers = l.table(List.of("workers"));
    l.checkKnown(workers, List.of("workers"), Set.of("max_jobs"));

    assertThat(problems.list()).hasSize(2);
    assertThat(problems.list().get(0))
        .startsWith("colour is not a known setting in " + FILE + " line 1; remove it or check");
    assertThat(problems.list().get(1))
        .isEqualTo(
            "workers.max_job is not a known setting in "
                + FILE
                + " line 3; remove it or check its spelling (known: [max_jobs])");
  }

  @Test
  void aSectionSettingCarriesItsDottedNameAndLine() {
    Layers l = layers("[retry]\n\njitter = 0.5", Map.of(), List.of());
    TomlTable retry = l.table(List.of("retry"));

    assertThat(l.in(retry, List.of("retry"), "jitter"))
        .isEqualTo(new Setting("retry.jitter", 0.5, FILE + " line 3", false));
    assertThat(l.in(retry, List.of("retry"), "backoff")).isNull();
  }

  @Test
  void aSectionThatIsNoTableIsAProblem() {
    Layers l = layers("workers = 3", Map.of(), List.of());

    assertThat(l.table(List.of("workers"))).isNull();
    assertThat(problems.list())
        .containsExactly(
            "workers must be a table ([workers]) in " + FILE + " line 1; write it as a section");
  }

  @Test
  void anOverrideOfAKeyItCannotSetIsAProblem() {
    layers("", Map.of(), List.of("types.x.timeout=5s"));

    assertThat(problems.list())
        .singleElement()
        .asString()
        .startsWith("--set types.x.timeout=5s is not a KEY=VALUE setting this option can change");
  }
}
