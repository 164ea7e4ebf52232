package org.jobhost.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void wholeNumbersAreNumbersAndTheRestEscapedStrings() {
    String odd = "a \"quoted\" \\ path\nand\ttab\u0001";
    Map<String, String> f = new LinkedHashMap<>();
    f.put("pid", "42");
    f.put("state", "running");
    f.put("version", "1.0");
    f.put("odd", odd);
    f.put("leading", "007");

    assertThat(Json.object(f))
        .isEqualTo(
            "{\"pid\": 42, \"state\": \"running\", \"version\": \"1.0\","
                + " \"odd\": \"a \\\"quoted\\\" \\\\ path\\nand\\ttab\\u0001\", \"leading\": \"007\"}");
  }
}
