package org.jobhost.store.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void plainValuesAreWrittenCompactInTheirOrder() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("s", "a \"q\"\n\\");
    m.put("n", 3);
    m.put("d", 1.5);
    m.put("b", true);
    m.put("x", null);
    m.put("l", Arrays.asList(1L, "two", null));
    m.put("o", Map.of("k", "v"));
    assertThat(Json.write(m))
        .isEqualTo(
            "{\"s\":\"a \\\"q\\\"\\n\\\\\",\"n\":3,\"d\":1.5,\"b\":true,\"x\":null,"
                + "\"l\":[1,\"two\",null],\"o\":{\"k\":\"v\"}}");
  }

  @Test
  void anyOtherValueIsWrittenAsItsText() {
    assertThat(Json.write(List.of(Instant.parse("2030-01-01T00:00:00Z"))))
        .isEqualTo("[\"2030-01-01T00:00:00Z\"]");
  }
}
