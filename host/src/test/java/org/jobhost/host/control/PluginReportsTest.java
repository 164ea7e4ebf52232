package org.jobhost.host.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.jobhost.host.plugins.PluginReport;
import org.junit.jupiter.api.Test;

class PluginReportsTest {

  @Test
  void reportsSurviveTheControlProtocolWithFilesExtensionsAndMultiLineProblemsFlattened() {
    List<PluginReport> sent =
        List.of(
            new PluginReport("host", "0.1.0", null, "loaded", List.of("JobRunner: a.B"), List.of()),
            new PluginReport(
                "cron",
                "?",
                Path.of("/p/aaa.jar"),
                "duplicate",
                List.of(),
                List.of("duplicate Plugin-Id cron: /p/aaa.jar and /p/cron.jar both declare it")),
            new PluginReport(
                "x",
                "1",
                Path.of("/p/x.jar"),
                "loaded",
                List.of("JobSource: x.S", "SignalHook: x.H"),
                List.of("one", "two")));

    String wire = ControlProtocol.ok(PluginReports.fields(sent)).render();

    assertThat(PluginReports.reports(ControlProtocol.parse(wire).fields())).isEqualTo(sent);
  }
}
