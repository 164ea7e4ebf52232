package org.jobhost.host.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.jobhost.api.Job;
import org.jobhost.api.Outcome;
import org.junit.jupiter.api.Test;

class JobActivityTest {

  private final JobActivity activity =
      new JobActivity(Clock.fixed(Instant.parse("2026-12-04T03:00:00Z"), ZoneOffset.UTC));

  private static Job job(String id, String type) {
    return new Job(id, type, Map.of());
  }

  @Test
  void countsStartsAndOutcomesPerType() {
    activity.jobStarted(job("1", "shell"));
    activity.jobStarted(job("2", "shell"));
    activity.jobEnded(job("1", "shell"), Outcome.succeeded());
    activity.jobEnded(job("2", "shell"), Outcome.failed("exit 3"));

    assertThat(activity.fields())
        .containsEntry("types", "1")
        .containsEntry("type.1.name", "shell")
        .containsEntry("type.1.started", "2")
        .containsEntry("type.1.succeeded", "1")
        .containsEntry("type.1.failed", "1")
        .containsEntry("failures", "1")
        .containsEntry("failure.1.id", "2")
        .containsEntry("failure.1.outcome", "failed")
        .containsEntry("failure.1.ended", "2026-12-04T03:00:00Z");
  }

  @Test
  void keepsOnlyTheLastFailuresNewestFirstWithShortMessages() {
    for (int i = 0; i < 50; i++) {
      activity.jobEnded(job("j" + i, "shell"), Outcome.failed("x".repeat(5000)));
    }

    Map<String, String> f = activity.fields();
    assertThat(f).containsEntry("failures", "10").containsEntry("failure.1.id", "j49");
    assertThat(f).doesNotContainKey("failure.11.id");
    assertThat(f.get("failure.1.message")).hasSize(JobActivity.MAX_MESSAGE);
  }

  @Test
  void typesBeyondTheLimitAreCountedTogether() {
    for (int i = 0; i < 500; i++) {
      activity.jobStarted(job("j" + i, "type" + i));
    }

    Map<String, String> f = activity.fields();
    assertThat(f).containsEntry("types", Integer.toString(JobActivity.MAX_TYPES + 1));
    assertThat(f).containsValue(JobActivity.OTHER);
  }
}
