package org.jobhost.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jobhost.api.Durations;
import org.jobhost.api.Sizes;
import org.jobhost.host.config.Defaults;
import org.junit.jupiter.api.Test;

/** The README's Default column and the shipped conf/jobhost.toml say what the code does. */
class DefaultsDocumentedTest {

  /** The top-level keys, documented in the README's table of settings. */
  private static Map<String, String> topLevel() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("idle_time", q(Durations.format(Defaults.IDLE_TIME)));
    m.put("grace_timeout", q(Durations.format(Defaults.GRACE_TIMEOUT)));
    m.put("kill_timeout", q(Durations.format(Defaults.KILL_TIMEOUT)));
    m.put("dispatch", q(Defaults.DISPATCH.name().toLowerCase(Locale.ROOT)));
    m.put("plugins_dir", q(Defaults.PLUGINS_DIR));
    m.put("log_dir", q(Defaults.LOG_DIR));
    m.put("state_dir", q(Defaults.STATE_DIR));
    m.put("run_dir", q(Defaults.RUN_DIR));
    m.put("strict", Boolean.toString(Defaults.STRICT));
    m.put("pause_children", Boolean.toString(Defaults.PAUSE_CHILDREN));
    return m;
  }

  /** Every key the shipped configuration shows with its default. */
  private static Map<String, String> expected() {
    Map<String, String> m = topLevel();
    m.put("max_attempts", Integer.toString(Defaults.MAX_ATTEMPTS));
    m.put("backoff", q(Durations.format(Defaults.BACKOFF)));
    m.put("max_backoff", q(Durations.format(Defaults.MAX_BACKOFF)));
    m.put("jitter", Double.toString(Defaults.JITTER));
    return m;
  }

  private static String q(String s) {
    return "\"" + s + "\"";
  }

  @Test
  void shippedConfigurationShowsEveryDefaultAsTheCodeHasIt() throws IOException {
    String conf = Files.readString(Path.of("src/main/dist/conf/jobhost.toml"));
    expected().forEach((key, value) -> assertThat(conf).contains("# " + key + " = " + value));
  }

  @Test
  void readmeDefaultColumnAgreesWithTheCode() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    Map<String, String> m = expected();
    for (String key : topLevel().keySet()) {
      assertThat(readme)
          .containsPattern(
              "\\| `"
                  + key
                  + "` \\| (?:[^|]|\\\\\\|)+ \\| `"
                  + java.util.regex.Pattern.quote(m.get(key))
                  + "` \\|");
    }
    assertThat(readme)
        .contains("| `[retry] max_attempts` | integer 1–1000 | `" + Defaults.MAX_ATTEMPTS + "` |");
    assertThat(readme).contains("| `[retry] backoff` | duration | `" + m.get("backoff") + "` |");
    assertThat(readme)
        .contains("| `[retry] max_backoff` | duration | `" + m.get("max_backoff") + "` |");
    assertThat(readme).contains("| `[retry] jitter` | number 0–1 | `" + Defaults.JITTER + "` |");
    assertThat(readme)
        .contains("| `[workers] max_jobs` | integer | `" + Defaults.WORKER_MAX_JOBS + "` |");
    assertThat(readme)
        .contains(
            "| `[workers] max_memory` | size | `\""
                + Sizes.format(Defaults.WORKER_MAX_MEMORY)
                + "\"` |");
    assertThat(readme)
        .contains(
            "| `[workers] start_timeout` | duration | `\""
                + Durations.format(Defaults.WORKER_START_TIMEOUT)
                + "\"` |");
    assertThat(readme).contains("| `pid_file` | path | `\"" + Defaults.PID_FILE + "\"` |");
  }
}
