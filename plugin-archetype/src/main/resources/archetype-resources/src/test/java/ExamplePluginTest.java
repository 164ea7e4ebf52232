package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jobhost.api.HostListener;
import org.jobhost.api.Outcome;
import org.jobhost.api.Signal;
import org.jobhost.testkit.PluginHarness;
import org.jobhost.testkit.ReloadResult;
import org.junit.jupiter.api.Test;

/** The plugin loaded and driven as the daemon would, without a daemon (jobhost-plugin-testkit). */
class ExamplePluginTest {

  @Test
  void runsOneGreetingPerConfiguredJob() {
    try (PluginHarness h =
        PluginHarness.forClassPath("${pluginId}")
            .settings("count = 2\nnames = [\"Ada\", \"Linus\"]")
            .load()) {
      h.assertNoProblems();

      List<Outcome> outcomes = h.runAll(10);

      assertEquals(2, outcomes.size());
      assertEquals("{\"greeting\":\"hello, Ada\",\"attempt\":1}", outcomes.get(0).output());
      assertEquals("{\"greeting\":\"hello, Linus\",\"attempt\":1}", outcomes.get(1).output());
      ExampleListener listener = (ExampleListener) h.extensions(HostListener.class).get(0);
      assertEquals(2, listener.ended());
    }
  }

  @Test
  void theHookAnswersWinchOnly() {
    try (PluginHarness h = PluginHarness.forClassPath("${pluginId}").load()) {
      assertEquals(1, h.signal(Signal.WINCH));
      assertEquals(0, h.signal(Signal.USR2));
    }
  }

  @Test
  void aReloadWithANegativeCountIsRejectedNamingTheKeyAndLine() {
    try (PluginHarness h = PluginHarness.forClassPath("${pluginId}").load()) {
      ReloadResult r = h.reload("count = -1");
      assertFalse(r.applied());
      assertTrue(
          r.rejections().get(0).contains("plugins.${pluginId}.count must be 0 or more (was -1)"),
          r.rejections().toString());
    }
  }
}
