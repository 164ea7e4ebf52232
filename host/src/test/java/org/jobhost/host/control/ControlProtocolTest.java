package org.jobhost.host.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ControlProtocolTest {

  @Test
  void answerSurvivesTheWireWithItsFieldOrder() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("state", "running");
    f.put("pid", "12");
    f.put("last_reload", "rejected at now: a=b");

    ControlProtocol back = ControlProtocol.parse(ControlProtocol.ok(f).render());

    assertThat(back.ok()).isTrue();
    assertThat(back.fields()).containsExactlyEntriesOf(f);
  }

  @Test
  void newlinesInValuesBecomeSemicolonsSoEachFieldStaysOneLine() {
    String wire =
        ControlProtocol.ok(Map.of("reload", "rejected: 2 problems:\n  - a\n  - b")).render();

    assertThat(wire).isEqualTo("ok\nreload=rejected: 2 problems:;   - a;   - b\n");
  }

  @Test
  void errorCarriesItsMessage() {
    ControlProtocol back = ControlProtocol.parse(ControlProtocol.error("no such thing").render());

    assertThat(back.ok()).isFalse();
    assertThat(back.error()).isEqualTo("no such thing");
  }

  @Test
  void emptyAnswerIsAnError() {
    assertThat(ControlProtocol.parse("").error())
        .isEqualTo("the daemon closed the control connection without an answer");
  }
}
