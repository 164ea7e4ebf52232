package org.jobhost.store.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;

class JobOptionsTest {

  @Command(name = "add")
  static final class Add {
    @Mixin JobOptions job;
  }

  private final Add add = new Add();
  private final CommandLine command = new CommandLine(add);

  private JobOptions parse(String... args) {
    command.parseArgs(args);
    return add.job;
  }

  @Test
  void paramsKeepTheOrderGivenAndALaterKeyReplacesAnEarlierOne() {
    JobOptions job = parse("--param", "a=1", "--param", "b==x", "--param", "c=", "--param", "a=2");
    assertThat(job.params()).containsExactly(entry("a", "2"), entry("b", "=x"), entry("c", ""));
  }

  @Test
  void aParamWithoutKeyIsAUsageErrorOfTheCommandNamingIt() {
    JobOptions job = parse("--param", "=x");
    assertThatThrownBy(job::params)
        .isInstanceOfSatisfying(
            ParameterException.class, e -> assertThat(e.getCommandLine()).isSameAs(command))
        .hasMessage("--param takes KEY=VALUE (was \"=x\")");
  }

  @Test
  void timeoutIsTheTextGivenOrNull() {
    assertThat(parse().timeout()).isNull();
    assertThat(parse("--timeout", "90s").timeout()).isEqualTo("90s");
  }

  @Test
  void maxAttemptsIsZeroUnlessGivenAndNeverBelowZero() {
    assertThat(parse().maxAttempts()).isZero();
    assertThat(parse("--max-attempts", "3").maxAttempts()).isEqualTo(3);
    JobOptions negative = parse("--max-attempts", "-1");
    assertThatThrownBy(negative::maxAttempts)
        .isInstanceOf(ParameterException.class)
        .hasMessage("--max-attempts must be at least 0 (was -1)");
  }
}
