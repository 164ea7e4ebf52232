package org.jobhost.binding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jobhost.api.Signal;
import org.jobhost.binding.BindingRules.Refusal;
import org.junit.jupiter.api.Test;

class BindingRulesTest {

  /** An extension as a caller records it: its plugin, its label and what it answers. */
  private record Ext(String pluginId, String label, Object answer) {}

  private static final BindingRules.Contributions<Ext> VIEW =
      new BindingRules.Contributions<>() {
        @Override
        public String pluginId(Ext e) {
          return e.pluginId();
        }

        @Override
        public String label(Ext e) {
          return e.label();
        }
      };

  private record Refused(String pluginId, Refusal refusal, String why) {}

  private final List<Refused> refused = new ArrayList<>();

  private void refuse(String pluginId, Refusal refusal, String why) {
    refused.add(new Refused(pluginId, refusal, why));
  }

  @SuppressWarnings("unchecked")
  private static <T> T answer(Ext e) {
    return (T) e.answer();
  }

  @Test
  void theFirstRunnerOfATypeKeepsItAndTheLaterOneIsRefusedOnItsOwnPlugin() {
    Ext first = new Ext("a", "a/Shell", Set.of("shell", "sql"));
    Ext second = new Ext("b", "b/Shell", Set.of("shell"));
    var bound = BindingRules.runners(List.of(first, second), VIEW, e -> answer(e), this::refuse);
    assertThat(bound).containsEntry("shell", first).containsEntry("sql", first).hasSize(2);
    assertThat(refused)
        .containsExactly(
            new Refused(
                "b",
                Refusal.TYPE_TAKEN,
                "job type \"shell\" is already run by a/Shell; b/Shell is not used for it (remove"
                    + " one of the plugins, or disable one with [plugins.<id>] enabled = false)"));
  }

  @Test
  void aRunnerThatAnswersNoTypesIsBoundToNone() {
    var bound =
        BindingRules.runners(
            List.of(new Ext("a", "a/R", null)), VIEW, e -> answer(e), this::refuse);
    assertThat(bound).isEmpty();
    assertThat(refused).isEmpty();
  }

  @Test
  void aHookIsRefusedTheSignalsTheJvmReservesAndKeepsTheOthersInOrder() {
    Ext quit = new Ext("a", "a/Quit", Set.of(Signal.QUIT, Signal.USR2));
    Ext kill = new Ext("b", "b/Kill", Set.of(Signal.KILL));
    Ext usr2 = new Ext("c", "c/Usr2", Set.of(Signal.USR2));
    var bound = BindingRules.hooks(List.of(quit, kill, usr2), VIEW, e -> answer(e), this::refuse);
    assertThat(bound).containsOnlyKeys(Signal.USR2);
    assertThat(bound.get(Signal.USR2)).containsExactly(quit, usr2);
    assertThat(refused)
        .extracting(Refused::pluginId, Refused::refusal)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a", Refusal.RESERVED_SIGNAL),
            org.assertj.core.groups.Tuple.tuple("b", Refusal.RESERVED_SIGNAL));
    assertThat(refused.get(0).why())
        .isEqualTo(
            "a/Quit wants SIGQUIT, which the JVM reserves for itself; the hook is refused for it."
                + " Bind it to USR2 instead");
    assertThat(refused.get(1).why()).contains("SIGKILL").contains("cannot be caught at all");
  }

  @Test
  void commandsWithAMalformedBuiltInOrTakenNameAreRefusedAndTheRestBound() {
    Ext tasks = new Ext("cron", "cron/Tasks", "tasks");
    Ext status = new Ext("x", "x/Status", "status");
    Ext upper = new Ext("y", "y/Upper", "Tasks");
    Ext none = new Ext("y", "y/None", null);
    Ext again = new Ext("z", "z/Tasks", "tasks");
    var bound =
        BindingRules.commands(
            List.of(tasks, status, upper, none, again),
            VIEW,
            e -> answer(e),
            BindingRules.BUILT_IN_COMMANDS,
            this::refuse);
    assertThat(bound).containsOnlyKeys("tasks").containsEntry("tasks", tasks);
    assertThat(refused)
        .extracting(Refused::pluginId, Refused::refusal)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("x", Refusal.BUILT_IN_COMMAND),
            org.assertj.core.groups.Tuple.tuple("y", Refusal.BAD_COMMAND_NAME),
            org.assertj.core.groups.Tuple.tuple("y", Refusal.BAD_COMMAND_NAME),
            org.assertj.core.groups.Tuple.tuple("z", Refusal.COMMAND_TAKEN));
    assertThat(refused.get(0).why())
        .isEqualTo(
            "x/Status contributes the command \"status\", which is a built-in command of jobhost;"
                + " the plugin's command is refused. Rename it in the plugin");
    assertThat(refused.get(3).why())
        .isEqualTo(
            "z/Tasks contributes the command \"tasks\", which cron/Tasks already contributes; the"
                + " second is refused. Rename one, or disable a plugin with [plugins.<id>] enabled"
                + " = false");
  }

  @Test
  void theLabelIsThePluginIdAndTheClassSimpleName() {
    assertThat(BindingRules.label("cron", new StringBuilder())).isEqualTo("cron/StringBuilder");
  }
}
