package org.jobhost.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code --user NAME}, as {@code run} and {@code start} mix it in. */
class UserOptionTest {

  @Command(name = "any")
  static final class AnyCommand {
    @Mixin UserOption user = new UserOption();
  }

  @Test
  void aGivenUserComesAfterTheOtherOverrides() {
    AnyCommand c = new AnyCommand();
    new CommandLine(c).parseArgs("--user", "jobs");

    assertThat(c.user.addTo(List.of("max_workers=2")))
        .containsExactly("max_workers=2", "user=jobs");
  }

  @Test
  void withoutTheOptionTheOverridesStayAsTheyAre() {
    AnyCommand c = new AnyCommand();
    new CommandLine(c).parseArgs();

    assertThat(c.user.addTo(List.of("max_workers=2"))).containsExactly("max_workers=2");
  }
}
