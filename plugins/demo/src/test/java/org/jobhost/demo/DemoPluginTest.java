package org.jobhost.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.jobhost.api.Job;
import org.jobhost.api.Outcome;
import org.jobhost.testkit.PluginHarness;
import org.junit.jupiter.api.Test;

class DemoPluginTest {

  @Test
  void emitsCountJobsAtRatePerSecondOfTheClockAndEveryFailEveryThFails() {
    try (PluginHarness h =
        PluginHarness.forClassPath("demo")
            .settings("count = 3\nrate = 1\nwork = \"0ms\"\nfail_every = 2")
            .load()) {
      h.assertNoProblems();

      List<Job> first = h.poll(10);
      assertThat(first).extracting(Job::id).containsExactly("demo-1");
      assertThat(h.poll(10)).isEmpty();
      h.clock().advance(Duration.ofSeconds(1));
      List<Job> second = h.poll(10);
      h.clock().advance(Duration.ofSeconds(5));
      List<Job> third = h.poll(10);

      assertThat(second).extracting(Job::id).containsExactly("demo-2");
      assertThat(third).extracting(Job::id).containsExactly("demo-3");
      assertThat(h.run(first.get(0)).kind()).isEqualTo(Outcome.Kind.SUCCEEDED);
      Outcome failed = h.run(second.get(0));
      assertThat(failed.message()).isEqualTo("demo job demo-2 fails as configured (fail_every)");
      assertThat(h.run(third.get(0)).isSuccess()).isTrue();
      h.clock().advance(Duration.ofSeconds(5));
      assertThat(h.poll(10)).isEmpty();
      assertThat(h.failures()).isEmpty();
    }
  }

  @Test
  void anUnknownSettingDisablesTheSourceWithTheKeyAndItsLine() {
    try (PluginHarness h =
        PluginHarness.forClassPath("demo").settings("count = 1\nrat = 5").load()) {
      assertThat(h.problems())
          .singleElement()
          .asString()
          .contains(DemoSource.class.getName() + " failed to start")
          .contains("plugins.demo.rat is not a known setting")
          .contains("settings.toml line 2");
      assertThat(h.types()).containsExactly("demo");
    }
  }

  @Test
  void aReloadWithABadModeKeepsTheOldSettingsAndAGoodOneApplies() {
    try (PluginHarness h =
        PluginHarness.forClassPath("demo").settings("count = 1\nrate = 0\nwork = \"0ms\"").load()) {
      assertThat(h.reload("count = 1\nmode = \"dance\"").applied()).isTrue();
      assertThat(h.failures())
          .singleElement()
          .asString()
          .contains("plugins.demo.mode must be \"sleep\" or \"compute\" (was \"dance\")");
      assertThat(h.runAll(10)).hasSize(1);

      h.reload("count = 3\nrate = 0\nwork = \"0ms\"");
      assertThat(h.runAll(10)).hasSize(2).allMatch(Outcome::isSuccess);
    }
  }

  @Test
  void aComputeJobEndsCancelledWhenTheHostAsksItToStop() {
    try (PluginHarness h = PluginHarness.forClassPath("demo").load()) {
      Job job =
          new Job("c", "demo", java.util.Map.of("work", "60s", "mode", "compute", "fail", "false"));
      org.jobhost.testkit.TestJobContext ctx = org.jobhost.testkit.TestJobContext.of(job);
      ctx.requestStop();
      Thread.currentThread().interrupt();
      Outcome o = h.run(job, ctx);
      Thread.interrupted();
      assertThat(o.kind()).isEqualTo(Outcome.Kind.CANCELLED);
    }
  }
}
