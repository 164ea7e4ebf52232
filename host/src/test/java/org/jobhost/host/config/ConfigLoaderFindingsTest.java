package org.jobhost.host.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What fuzzing found in the configuration loader, kept as regression tests of the fix. The crash
 * input as found (a {@code FuzzedDataProvider} stream for {@link ConfigLoaderFuzzTest}) is kept in
 * {@code ConfigLoaderFindings/nul-in-path}.
 */
class ConfigLoaderFindingsTest {

  @TempDir Path dir;

  @Test
  void aPathWithANulCharacterIsAConfigurationError() throws IOException {
    Path file = dir.resolve("jobhost.toml");
    Files.writeString(file, "plugins_dir = \"a\\u0000b\"\n");
    ConfigLoader loader = new ConfigLoader(dir, Map.of());
    assertThatThrownBy(() -> loader.load(file, List.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("plugins_dir");
  }
}
