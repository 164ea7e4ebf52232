package org.jobhost.dist.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jobhost.testsupport.Cli;
import org.jobhost.testsupport.Tree;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The .deb, the init script, the systemd unit and every shell script of the distribution. */
class PackagingIT {

  private static final Path DEB = Path.of(System.getProperty("jobhost.deb", "target/none.deb"));
  private static final Path SERVICE = Tree.root().resolve("service");

  @TempDir Path tmp;
  private Sandbox box;

  @AfterEach
  void stopEverything() {
    if (box != null) {
      box.close();
    }
  }

  private static boolean onPath(String tool) {
    return Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":"))
        .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
  }

  private Cli run(String... cmd) throws Exception {
    if (box == null) {
      box = new Sandbox(tmp);
    }
    return box.run(List.of(cmd), Map.of());
  }

  @Test
  void debDeclaresItsControlDataAndConffiles() throws Exception {
    Assumptions.assumeTrue(onPath("dpkg-deb"), "dpkg-deb is not installed");

    Cli info = run("dpkg-deb", "-I", DEB.toString());

    assertThat(info.code()).as(info.all()).isZero();
    assertThat(info.out())
        .contains("Package: jobhost")
        .contains("Architecture: all")
        .contains("Depends: default-jre-headless")
        .contains("postinst")
        .contains("prerm")
        .contains("conffiles");
    Cli conffiles = run("dpkg-deb", "-I", DEB.toString(), "conffiles");
    assertThat(conffiles.out().lines())
        .contains(
            "/etc/jobhost/jobhost.toml",
            "/etc/jobhost/logback.xml",
            "/etc/init.d/jobhost",
            "/etc/logrotate.d/jobhost",
            "/etc/default/jobhost");
    assertThat(run("dpkg-deb", "-I", DEB.toString(), "postinst").out())
        .contains("adduser --system")
        .contains("jobhost");
  }

  @Test
  void debInstallsTheTreeUnderUsrShareWithConfigLogsStateAndServiceFiles() throws Exception {
    Assumptions.assumeTrue(onPath("dpkg-deb"), "dpkg-deb is not installed");

    Cli list = run("dpkg-deb", "-c", DEB.toString());

    assertThat(list.code()).as(list.all()).isZero();
    assertThat(list.out())
        .containsPattern("-rwxr-xr-x root/root .* \\./usr/share/jobhost/bin/jobhost\\n")
        .containsPattern("\\./usr/share/jobhost/lib/jobhost-host-.*\\.jar")
        .contains("./usr/share/jobhost/plugins/command.jar")
        .contains("./usr/bin/jobhost -> /usr/share/jobhost/bin/jobhost")
        .contains("./usr/share/jobhost/conf -> /etc/jobhost")
        .containsPattern("-rw-r----- root/root .* \\./etc/jobhost/jobhost.toml\\n")
        .contains("./usr/share/jobhost/var -> /var/cache/jobhost")
        .contains("./etc/jobhost/plugins.d/")
        .contains("./var/log/jobhost/")
        .contains("./var/lib/jobhost/")
        .contains("./lib/systemd/system/jobhost.service")
        .containsPattern("-rwxr-xr-x root/root .* \\./etc/init.d/jobhost\\n")
        .contains("./etc/logrotate.d/jobhost");
  }

  @Test
  void debianInitScriptStartsReportsReloadsAndStopsTheDaemon() throws Exception {
    Assumptions.assumeTrue(onPath("start-stop-daemon"), "start-stop-daemon is not installed");
    box = new Sandbox(tmp, "allow_root = true\n[plugins.demo]\ncount = 0\nrate = 2\n");
    Path defaults = tmp.resolve("default-jobhost");
    Files.writeString(
        defaults,
        "DAEMON=" + Tree.root().resolve("bin/jobhost") + "\nJOBHOST_CONFIG=" + box.config + "\n",
        StandardCharsets.UTF_8);
    // The script reads only root's /etc/default/jobhost; the test runs a copy that reads its own.
    Path copy = tmp.resolve("init-jobhost");
    String original = Files.readString(SERVICE.resolve("init.d/jobhost"));
    assertThat(original)
        .contains("DEFAULTS=/etc/default/$NAME\n")
        .doesNotContain("JOBHOST_DEFAULTS");
    Files.writeString(
        copy, original.replace("DEFAULTS=/etc/default/$NAME\n", "DEFAULTS=" + defaults + "\n"));
    Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwxr-xr-x"));
    Map<String, String> env = Map.of();
    String script = copy.toString();

    Cli start = box.run(List.of(script, "start"), env);
    assertThat(start.code()).as(start.all()).isZero();
    long pid = box.pid().orElseThrow();
    Cli status = box.run(List.of(script, "status"), env);
    assertThat(status.code()).isZero();
    assertThat(status.out()).contains("jobhost is running (pid " + pid + ")");
    assertThat(box.run(List.of(script, "start"), env).code()).as("start when running").isZero();
    Cli reload = box.run(List.of(script, "reload"), env);
    assertThat(reload.code()).as(reload.all()).isZero();
    assertThat(reload.all()).contains("reload applied");
    Cli stop = box.run(List.of(script, "stop"), env);
    assertThat(stop.code()).as(stop.all()).isZero();
    assertThat(box.pidFile()).doesNotExist();

    Cli stopped = box.run(List.of(script, "status"), env);
    assertThat(stopped.code()).isEqualTo(3);
    assertThat(box.run(List.of(script, "bogus"), env).code()).isEqualTo(2);
  }

  @Test
  void systemdUnitPassesSystemdAnalyzeVerify() throws Exception {
    Assumptions.assumeTrue(onPath("systemd-analyze"), "systemd-analyze is not installed");
    String unit =
        Files.readString(SERVICE.resolve("systemd/jobhost.service"))
            .replace("/usr/bin/jobhost", Tree.root().resolve("bin/jobhost").toString());
    Path copy = tmp.resolve("jobhost.service");
    Files.writeString(copy, unit);

    Cli verify = run("systemd-analyze", "verify", copy.toString());

    assertThat(verify.code()).as(verify.all()).isZero();
    assertThat(verify.all()).doesNotContain("jobhost.service:");
    assertThat(unit)
        .contains("Type=notify")
        .contains("KillMode=mixed")
        .contains("SuccessExitStatus=143")
        .contains("NoNewPrivileges=yes")
        .contains("PrivateTmp=yes")
        .contains("\nCapabilityBoundingSet=\n")
        .contains("ProtectKernelLogs=yes")
        .contains("ProtectClock=yes")
        .contains("ProtectHostname=yes")
        .contains("ProtectProc=invisible")
        .contains("RestrictNamespaces=yes")
        .contains("RestrictRealtime=yes")
        .contains("RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6")
        .contains("SystemCallArchitectures=native")
        .contains("SystemCallFilter=@system-service")
        .contains("RemoveIPC=yes");
  }

  @Test
  void systemdAnalyzeSecurityRatesTheUnitExposureAtMostTwo() throws Exception {
    Assumptions.assumeTrue(onPath("systemd-analyze"), "systemd-analyze is not installed");
    Path copy = tmp.resolve("jobhost.service");
    Files.copy(SERVICE.resolve("systemd/jobhost.service"), copy);

    Cli security = run("systemd-analyze", "security", "--offline=true", copy.toString());

    assertThat(security.code()).as(security.all()).isZero();
    String score =
        security
            .all()
            .replaceAll("(?s).*Overall exposure level for jobhost.service: ([0-9.]+).*", "$1");
    assertThat(Double.parseDouble(score)).as(security.all()).isLessThanOrEqualTo(2.0);
  }

  @Test
  void rhelScriptWatchesThePidFileOfThePackagedConfiguration() throws Exception {
    Path deb = Tree.root().getParent().getParent().resolve("src/deb/conf/jobhost.toml");
    String pidFile = Files.readString(deb).replaceAll("(?s).*\npid_file = \"([^\"]+)\".*", "$1");
    String rhel = Files.readString(SERVICE.resolve("init.d/jobhost.rhel"));

    assertThat(pidFile).isEqualTo("/run/jobhost/jobhost.pid");
    assertThat(rhel).contains("\npidfile=" + pidFile + "\n").contains("# pidfile:     " + pidFile);
  }

  @Test
  void logrotateRotatesAsTheServiceUser() throws Exception {
    String conf = Files.readString(SERVICE.resolve("logrotate/jobhost"));

    assertThat(conf.split("\\n\\}")).hasSize(3);
    for (String block : conf.split("\\n\\}")) {
      if (block.contains("{")) {
        assertThat(block).as(block).contains("\n    su jobhost jobhost\n");
      }
    }
  }

  @Test
  void unitStopTimeoutCoversGraceAndKillTimeoutsWithFiveSecondsToSpare() throws Exception {
    String unit = Files.readString(SERVICE.resolve("systemd/jobhost.service"));
    int stopSec = Integer.parseInt(unit.replaceAll("(?s).*\\nTimeoutStopSec=(\\d+).*", "$1"));
    // The package's conf keeps the defaults grace_timeout = 5s and kill_timeout = 5s.
    assertThat(stopSec).isGreaterThanOrEqualTo(5 + 5 + 5);
  }

  @Test
  void everyShellScriptPassesShellcheck() throws Exception {
    Assumptions.assumeTrue(onPath("shellcheck"), "shellcheck is not installed");
    List<String> cmd = new ArrayList<>(List.of("shellcheck", "--shell=sh"));
    cmd.addAll(scripts());

    Cli check = run(cmd.toArray(new String[0]));

    assertThat(check.code()).as(check.all()).isZero();
  }

  private static List<String> scripts() throws IOException {
    List<String> out = new ArrayList<>();
    out.add(Tree.root().resolve("bin/jobhost").toString());
    try (Stream<Path> s = Files.list(SERVICE.resolve("init.d"))) {
      s.forEach(p -> out.add(p.toString()));
    }
    Path control = Tree.root().getParent().getParent().resolve("src/deb/control");
    for (String name : List.of("postinst", "prerm", "postrm")) {
      out.add(control.resolve(name).toString());
    }
    Path bench = Tree.root().getParent().getParent().getParent().resolve("bench/service");
    if (Files.isDirectory(bench)) {
      try (Stream<Path> s = Files.list(bench)) {
        s.filter(p -> p.toString().endsWith(".sh")).forEach(p -> out.add(p.toString()));
      }
    }
    return out;
  }
}
