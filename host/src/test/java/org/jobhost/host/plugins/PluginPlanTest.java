package org.jobhost.host.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PluginPlanTest {

  private final Path a = Path.of("/p/a.jar");
  private final Path b = Path.of("/p/b.jar");
  private final FileStamp old = new FileStamp("inode-1", 10, 1000);
  private final FileStamp fresh = new FileStamp("inode-2", 12, 2000);

  private final Map<String, Plugins.Loaded> current =
      Map.of("a", new Plugins.Loaded("a", "1.0", a, old));

  private static Plugins.Scan scan(Map<Path, String> ids) {
    return new Plugins.Scan(List.copyOf(ids.keySet()), ids, List.of(), Map.of());
  }

  private static Map<Path, String> ids(Object... pairs) {
    Map<Path, String> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put((Path) pairs[i], (String) pairs[i + 1]);
    }
    return m;
  }

  @Test
  void anUnchangedDirectoryChangesNothing() {
    PluginPlan plan = PluginPlan.of(current, scan(ids(a, "a")), id -> true, f -> old);

    assertThat(plan.nothingToDo()).isTrue();
  }

  @Test
  void aFileWithANewIdIsAdded() {
    PluginPlan plan = PluginPlan.of(current, scan(ids(a, "a", b, "b")), id -> true, f -> old);

    assertThat(plan.added()).containsExactly(b);
    assertThat(plan.changed()).isEmpty();
    assertThat(plan.removed()).isEmpty();
  }

  @Test
  void aFileRenamedOverTheOldOneIsAChange() {
    PluginPlan plan = PluginPlan.of(current, scan(ids(a, "a")), id -> true, f -> fresh);

    assertThat(plan.changed()).containsExactly(Map.entry("a", a));
  }

  @Test
  void theSameIdInAnotherFileIsAChange() {
    PluginPlan plan = PluginPlan.of(current, scan(ids(b, "a")), id -> true, f -> old);

    assertThat(plan.changed()).containsExactly(Map.entry("a", b));
    assertThat(plan.removed()).isEmpty();
  }

  @Test
  void aLoadedIdNoFileDeclaresAnyMoreIsRemoved() {
    PluginPlan plan = PluginPlan.of(current, scan(ids()), id -> true, f -> old);

    assertThat(plan.removed()).containsExactly("a");
  }

  @Test
  void aLoadedIdNowDisabledIsRemovedAndReportedDisabled() {
    PluginPlan plan = PluginPlan.of(current, scan(ids(a, "a")), id -> false, f -> old);

    assertThat(plan.removed()).containsExactly("a");
    assertThat(plan.unloaded()).extracting(PluginReport::state).containsExactly("disabled");
  }

  @Test
  void aLoadedPluginsFileReplacedByOneWithoutAnIdIsAChangeThatWillFail() {
    PluginPlan plan = PluginPlan.of(current, scan(ids(a, null)), id -> true, f -> fresh);

    assertThat(plan.changed()).containsExactly(Map.entry("a", a));
    assertThat(plan.removed()).isEmpty();
  }

  @Test
  void aLoadedPluginsFileRefusedBeforeLoadingKeepsItRunningWithTheReason() {
    PluginReport refused =
        new PluginReport("a.jar", "?", a, "failed", List.of(), List.of("/p/a.jar is owned by x"));
    Plugins.Scan s = new Plugins.Scan(List.of(), Map.of(), List.of(refused), Map.of());

    PluginPlan plan = PluginPlan.of(current, s, id -> true, f -> fresh);

    assertThat(plan.removed()).isEmpty();
    assertThat(plan.kept().get("a"))
        .startsWith(Plugins.RESCAN_PREFIX)
        .contains("/p/a.jar is owned by x")
        .contains("version 1.0 keeps running");
    assertThat(plan.unloaded()).isEmpty();
  }
}
