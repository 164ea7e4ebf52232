package org.jobhost.store.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;

class RowLimitTest {

  @Command(name = "list")
  static final class ListRows {
    @Mixin RowLimit limit = new RowLimit(50);
  }

  private final ListRows list = new ListRows();
  private final CommandLine command = new CommandLine(list);

  @Test
  void theLimitIsTheCommandsDefaultUnlessGiven() {
    command.parseArgs();
    assertThat(list.limit.value()).isEqualTo(50);
    command.parseArgs("--limit", "1");
    assertThat(list.limit.value()).isEqualTo(1);
  }

  @Test
  void theHelpShowsTheCommandsDefault() {
    assertThat(command.getUsageMessage()).contains("At most N rows (default 50).");
  }

  @Test
  void aLimitBelowOneIsAUsageErrorOfTheCommand() {
    command.parseArgs("--limit", "0");
    assertThatThrownBy(list.limit::value)
        .isInstanceOfSatisfying(
            ParameterException.class, e -> assertThat(e.getCommandLine()).isSameAs(command))
        .hasMessage("--limit must be at least 1 (was 0)");
  }
}
