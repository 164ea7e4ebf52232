package org.jobhost.host.config;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes the configuration loader with arbitrary files, environment values and {@code --set}
 * overrides: it either returns a configuration or throws {@link ConfigException}, nothing else, and
 * never hangs. Seeds in {@code ConfigLoaderFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class ConfigLoaderFuzzTest {

  private static Path dir;

  @BeforeAll
  static void makeDirectory() throws IOException {
    dir = Files.createTempDirectory("config-fuzz");
  }

  @AfterAll
  static void removeDirectory() throws IOException {
    Files.deleteIfExists(dir.resolve("jobhost.toml"));
    Files.deleteIfExists(dir);
  }

  @FuzzTest(maxDuration = "30s")
  void loadingAnyFileThrowsOnlyConfigException(FuzzedDataProvider data) throws IOException {
    String env = data.consumeString(40);
    String override = data.consumeString(60);
    Path file = dir.resolve("jobhost.toml");
    Files.write(file, data.consumeRemainingAsBytes());
    ConfigLoader loader = new ConfigLoader(dir, Map.of("JOBHOST_MAX_WORKERS", env));
    try {
      loader.load(file, override.isEmpty() ? List.of() : List.of(override));
    } catch (ConfigException expected) {
      if (expected.getMessage() == null || expected.getMessage().isBlank()) {
        throw new AssertionError("a ConfigException without a message", expected);
      }
    }
  }
}
