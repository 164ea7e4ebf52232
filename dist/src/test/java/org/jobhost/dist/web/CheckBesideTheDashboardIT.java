package org.jobhost.dist.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.jobhost.testsupport.Cli;
import org.jobhost.testsupport.HostProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jobhost check} beside a running daemon whose dashboard is on: the check starts the web
 * plugin only to check it, so it neither fails on the port the daemon holds nor disturbs it.
 */
class CheckBesideTheDashboardIT {

  @TempDir Path dir;

  @Test
  void checkPassesWhileTheDaemonServesTheDashboardAndTheDashboardStillAnswers() {
    WebDaemon web = WebDaemon.write(dir, 2);
    try (HostProcess host = web.start()) {
      Cli check = Cli.jobhost(web.config().file(), "check");

      assertThat(check.code()).as(check.out() + check.err()).isZero();
      assertThat(check.out()).doesNotContain("problem");
      assertThat(web.get("metrics")).contains("jobhost_");
      assertThat(host.log()).doesNotContain("Address already in use");
    }
  }
}
