package org.jobhost.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobTest {

  @Test
  void fourArgumentConstructorIsAFirstAttemptWithTypeDefaults() {
    Job job = new Job("1", "demo", Map.of("k", "v"), null);
    assertThat(job.attempt()).isEqualTo(1);
    assertThat(job.maxAttempts()).isZero();
    assertThat(job.nextAttempt().attempt()).isEqualTo(2);
  }

  @Test
  void paramsAreCopied() {
    Map<String, String> params = new HashMap<>();
    params.put("a", "1");
    Job job = new Job("1", "demo", params);
    params.put("b", "2");
    assertThat(job.params()).containsOnlyKeys("a");
  }

  @Test
  void blankIdAndNonPositiveTimeoutAreRejected() {
    assertThatThrownBy(() -> new Job(" ", "demo", Map.of())).hasMessageContaining("id");
    assertThatThrownBy(() -> new Job("7", "demo", Map.of(), Duration.ZERO))
        .hasMessageContaining("job 7: timeout must be positive");
  }

  @Test
  void outcomesKnowTheirKind() {
    assertThat(Outcome.succeeded().kind()).isEqualTo(Outcome.Kind.SUCCEEDED);
    assertThat(Outcome.failed("boom", 3, "tail").exitCode()).hasValue(3);
    assertThat(Outcome.timedOut(Duration.ofSeconds(2)).message()).isEqualTo("timed out after 2s");
    assertThat(Outcome.cancelled("host stopping").kind()).isEqualTo(Outcome.Kind.CANCELLED);
  }
}
