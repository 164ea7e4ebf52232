package org.jobhost.store.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class JsonOptionTest {

  @Command(name = "list")
  static final class ListRows {
    @Mixin JsonOption json;
  }

  @Test
  void isSetOnlyWhenGiven() {
    ListRows list = new ListRows();
    CommandLine command = new CommandLine(list);
    command.parseArgs();
    assertThat(list.json.isSet()).isFalse();
    command.parseArgs("--json");
    assertThat(list.json.isSet()).isTrue();
  }
}
