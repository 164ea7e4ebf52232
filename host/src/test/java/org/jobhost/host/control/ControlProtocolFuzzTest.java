package org.jobhost.host.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the control protocol's answer reader with arbitrary text: it never throws, and what it
 * reads renders to text that reads back to the same answer. Seeds in {@code
 * ControlProtocolFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class ControlProtocolFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void anyAnswerTextParsesAndRendersBackToTheSameAnswer(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    ControlProtocol answer = ControlProtocol.parse(text);
    assertThat(answer).isNotNull();
    ControlProtocol again = ControlProtocol.parse(answer.render());
    assertThat(again.ok()).isEqualTo(answer.ok());
    if (answer.ok()) {
      assertThat(again.fields().keySet()).isEqualTo(answer.fields().keySet());
    }
  }
}
