package org.jobhost.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.jobhost.api.PluginSettings;
import org.jobhost.api.SettingsException;
import org.junit.jupiter.api.Test;

class CommandSettingsTest {

  private static CommandSettings read(Map<String, Object> values) {
    return CommandSettings.from(
        PluginSettings.of("plugins.command", values, key -> "jobhost.toml line 4"));
  }

  @Test
  void emptySectionGivesTheDefaults() {
    assertThat(read(Map.of())).isEqualTo(new CommandSettings(1_048_576, 20));
    assertThat(CommandSettings.DEFAULTS.toString()).isEqualTo("output_limit=1MB tail_lines=20");
  }

  @Test
  void outputLimitIsAWholeNumberOfBytesOrASizeString() {
    assertThat(read(Map.of("output_limit", 5000L)).outputLimit()).isEqualTo(5000);
    assertThat(read(Map.of("output_limit", "64KB")).outputLimit()).isEqualTo(65_536);
    assertThat(read(Map.of("output_limit", "2 mb")).outputLimit()).isEqualTo(2_097_152);
    assertThat(read(Map.of("output_limit", "1GiB")).outputLimit()).isEqualTo(1L << 30);
    assertThat(read(Map.of("output_limit", "0")).outputLimit()).isZero();
  }

  @Test
  void badOutputLimitNamesKeyPlaceValueAndForms() {
    assertThatThrownBy(() -> read(Map.of("output_limit", "lots")))
        .isInstanceOf(SettingsException.class)
        .hasMessage(
            "plugins.command.output_limit is not a size (was \"lots\"); write a whole number of"
                + " bytes, or a number and B, KB, MB or GB (powers of 1024), such as \"64KB\" or"
                + " \"1MB\" (jobhost.toml line 4)");
    assertThatThrownBy(() -> read(Map.of("output_limit", "999999999999999GB")))
        .isInstanceOf(SettingsException.class)
        .hasMessageStartingWith(
            "plugins.command.output_limit is too large (was \"999999999999999GB\")");
    assertThatThrownBy(() -> read(Map.of("output_limit", -1L)))
        .hasMessageStartingWith("plugins.command.output_limit must be 0 or more (was -1)");
    assertThatThrownBy(() -> read(Map.of("output_limit", true)))
        .hasMessageStartingWith("plugins.command.output_limit must be a whole number of bytes");
  }

  @Test
  void tailLinesMustBeZeroToAThousand() {
    assertThat(read(Map.of("tail_lines", 0L)).tailLines()).isZero();
    assertThatThrownBy(() -> read(Map.of("tail_lines", 1001L)))
        .hasMessage(
            "plugins.command.tail_lines must be 0 to 1000 (was 1001) (jobhost.toml line 4)");
  }

  @Test
  void unknownKeyIsRejected() {
    assertThatThrownBy(() -> read(Map.of("output_limt", "1MB")))
        .isInstanceOf(SettingsException.class)
        .hasMessageStartingWith("plugins.command.output_limt is not a known setting");
  }

  @Test
  void theOutputLimitIsShownInTheLargestExactUnit() {
    assertThat(new CommandSettings(0, 20).toString()).startsWith("output_limit=0B ");
    assertThat(new CommandSettings(1500, 20).toString()).startsWith("output_limit=1500B ");
    assertThat(new CommandSettings(65_536, 20).toString()).startsWith("output_limit=64KB ");
    assertThat(new CommandSettings(3L << 30, 20).toString()).startsWith("output_limit=3GB ");
  }
}
