package org.jobhost.dist.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Grafana dashboard shipped in dist/grafana queries only metrics the README documents. */
class GrafanaDashboardTest {

  @Test
  void everyMetricTheDashboardQueriesIsDocumented() throws IOException {
    JsonNode dash = new ObjectMapper().readTree(Path.of("grafana/jobhost-dashboard.json").toFile());
    String readme = Files.readString(Path.of("..", "README.md"));
    Set<String> names = new TreeSet<>();
    Matcher m = Pattern.compile("\\b((?:jobhost|jvm)_[a-z_]+)").matcher("");
    for (JsonNode panel : dash.get("panels")) {
      for (JsonNode target : panel.get("targets")) {
        m.reset(target.get("expr").asText());
        while (m.find()) {
          names.add(m.group(1).replaceAll("_bucket$", ""));
        }
      }
    }

    assertThat(names).contains("jobhost_jobs_started_total", "jobhost_job_duration_seconds");
    for (String name : names) {
      assertThat(readme)
          .as("README documents " + name)
          .containsAnyOf("`" + name + "`", name.startsWith("jvm_") ? "`jvm_*`" : "`" + name + "`");
    }
  }
}
