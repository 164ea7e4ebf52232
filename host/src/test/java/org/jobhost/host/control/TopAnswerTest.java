package org.jobhost.host.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jobhost.api.Job;
import org.jobhost.api.RunningJob;
import org.junit.jupiter.api.Test;

class TopAnswerTest {

  @Test
  void topListsAtMostTheBoundOfRunningJobsButCountsThemAll() {
    List<RunningJob> many = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      many.add(new RunningJob(new Job("j" + i, "shell", Map.of()), "spool", Instant.now()));
    }

    Map<String, String> f =
        TopAnswer.fields(Map.of(), many, new JobActivity(Clock.systemUTC()), Instant.now());

    assertThat(f).containsEntry("running", "1000").containsKey("running.200.id");
    assertThat(f).doesNotContainKey("running.201.id");
  }
}
