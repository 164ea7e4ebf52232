package org.jobhost.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ParamsTest {

  @Test
  void paramsSurviveTheRoundTripWithQuotesAndControlCharacters() {
    Map<String, String> p = Map.of("shell", "echo \"hi\"\n\tdone \\ \u0001", "b", "");
    assertThat(Params.fromJson(Params.toJson(p))).isEqualTo(p);
  }

  @Test
  void numbersAndBooleansBecomeTextAndNullIsDropped() {
    assertThat(Params.fromJson("{ \"n\": 3, \"ok\": true, \"x\": null, \"u\": \"\\u00e9\" }"))
        .containsExactly(Map.entry("n", "3"), Map.entry("ok", "true"), Map.entry("u", "é"));
  }

  @Test
  void nestedValuesAreRefusedWithTheOffset() {
    assertThatThrownBy(() -> Params.fromJson("{\"a\": {\"b\": 1}}"))
        .hasMessage(
            "params are no flat JSON object of strings: expected a string, number, boolean or"
                + " null at offset 6");
  }
}
