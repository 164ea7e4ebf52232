package org.jobhost.host.cli.top;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopViewTest {

  private final Clock clock = Clock.fixed(Instant.parse("2026-12-04T03:00:00Z"), ZoneOffset.UTC);

  @Test
  void oncePrintsOneSnapshotWithoutTerminalControls() throws Exception {
    StringWriter text = new StringWriter();
    TopView view =
        new TopView(
            () ->
                Map.of(
                    "state", "running",
                    "workers_busy", "1",
                    "workers_max", "2",
                    "running", "1",
                    "running.1.id", "nightly",
                    "running.1.type", "shell",
                    "running.1.source", "cron",
                    "running.1.started", "2026-12-04T02:59:30Z",
                    "now", "2026-12-04T03:00:00Z"),
            clock);

    view.once(new PrintWriter(text));

    assertThat(text.toString())
        .contains("slots 1/2 busy [#-]")
        .containsPattern("nightly +shell +cron .* 30s")
        .doesNotContain("\u001b")
        .doesNotContain(Screen.KEYS);
  }

  @Test
  void aDaemonThatDoesNotAnswerFailsTheSnapshot() {
    TopView view =
        new TopView(
            () -> {
              throw new IOException("no answer within 10000 ms");
            },
            clock);

    assertThatThrownBy(() -> view.once(new PrintWriter(new StringWriter())))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no answer");
  }
}
