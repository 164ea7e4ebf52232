package org.jobhost.dist.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.jobhost.dist.support.Worklog;
import org.jobhost.testsupport.Cli;
import org.jobhost.testsupport.HostProcess;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser: Debian's headless chromium, driven through chromedriver by
 * Selenium, against the daemon of the assembled tree. Skipped, saying why, only where chromium or
 * its driver is not installed ({@code .ci/run} installs both).
 */
class DashboardBrowserIT {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  /** How soon a job the daemon started must show on the page: the dashboard's promise. */
  private static final Duration SHOWS_WITHIN = Duration.ofSeconds(1);

  @TempDir Path dir;

  @BeforeAll
  static void chromiumIsInstalled() {
    Assumptions.assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "the browser test needs Debian's chromium and chromium-driver (/usr/bin/chromium,"
            + " /usr/bin/chromedriver): apt-get install chromium chromium-driver");
  }

  private WebDriver browser() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1100,900",
        "--user-data-dir=" + dir.resolve("chromium-profile"));
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    return new ChromeDriver(service, options);
  }

  @Test
  void aRunningJobShowsWithinASecondAndPauseAndResumeWorkFromThePageWithTheTokenOnly()
      throws Exception {
    WebDaemon web = WebDaemon.write(dir, 2);
    try (HostProcess host = HostProcess.start(web.config().file(), dir.resolve("host.out"))) {
      host.awaitLog("plugin=web serving", Duration.ofSeconds(10));
      WebDriver browser = browser();
      try {
        browser.get(web.base());
        assertThat(browser.getTitle()).isEqualTo("jobhost");
        new WebDriverWait(browser, Duration.ofSeconds(10))
            .until(ExpectedConditions.textToBe(By.id("state"), "running"));

        web.drop("sleeper", "sleep 30");
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> web.get("api/jobs").contains("\"id\": \"sleeper.json\""));
        long started = System.nanoTime();
        new WebDriverWait(browser, SHOWS_WITHIN, Duration.ofMillis(20))
            .until(
                ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#jobs tr[data-job='sleeper.json']")));
        long shownMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(browser.findElement(By.id("busy")).getText()).isEqualTo("1");

        browser.findElement(By.id("pause")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10))
            .until(
                ExpectedConditions.textToBePresentInElementLocated(
                    By.id("message"), "header is missing or wrong"));
        assertThat(daemonState(web)).as("pause without the token").isEqualTo("running");

        browser.findElement(By.id("token")).sendKeys(web.token());
        browser.findElement(By.id("pause")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10))
            .until(ExpectedConditions.textToBe(By.id("state"), "paused"));
        assertThat(daemonState(web)).isEqualTo("paused");
        screenshot(browser, "dashboard-paused.png");

        browser.findElement(By.id("resume")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10))
            .until(ExpectedConditions.textToBe(By.id("state"), "running"));
        assertThat(daemonState(web)).isEqualTo("running");
        screenshot(browser, "dashboard.png");
        System.out.println("dashboard showed the running job " + shownMs + " ms after it started");
      } finally {
        browser.quit();
      }
    }
  }

  @Test
  void theHistoryShowsAFinishedJobAndRunNowFromTheTaskTableRunsACronTask() throws Exception {
    WebDaemon web =
        WebDaemon.write(
            dir,
            2,
            "[[plugins.cron.tasks]]\nname = \"yearly-report\"\nschedule = \"0 0 1 1 *\"\n"
                + "type = \"command\"\nparams = { shell = \"echo report done\" }\n");
    try (HostProcess host = HostProcess.start(web.config().file(), dir.resolve("host.out"))) {
      host.awaitLog("plugin=web serving", Duration.ofSeconds(10));
      WebDriver browser = browser();
      try {
        browser.manage().window().setSize(new Dimension(1280, 1500));
        browser.get(web.base());
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
        wait.until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#view-tasks tr[data-key='yearly-report']")));
        assertThat(text(wait, "#view-tasks tr[data-key='yearly-report']"))
            .contains("0 0 1 1 *")
            .containsPattern("next_fire|\\d{4}-\\d\\d-\\d\\dT\\d\\d:00:00Z");

        web.drop("quick", "echo quick");
        wait.until(
            ExpectedConditions.textMatches(
                By.cssSelector("#view-history tbody"),
                java.util.regex.Pattern.compile("quick\\.json.*SUCCEEDED")));

        // An action from the task table needs the token, as pause does.
        click(wait, "#view-tasks tr[data-key='yearly-report'] button[data-action='run']");
        wait.until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("message"), "header is missing or wrong"));
        assertThat(web.get("api/views/history?task=yearly-report")).isEqualTo("[]");

        browser.findElement(By.id("token")).sendKeys(web.token());
        click(wait, "#view-tasks tr[data-key='yearly-report'] button[data-action='run']");
        wait.until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("message"), "requested a run of task yearly-report"));
        // The run shows in the history, filtered to the task from the page.
        WebElement task = browser.findElement(By.cssSelector("#view-history [data-filter='task']"));
        task.sendKeys("yearly-report", Keys.TAB);
        // The unfiltered table may show the run before the filtered one replaces it: wait for both.
        wait.until(
            ExpectedConditions.and(
                ExpectedConditions.textMatches(
                    By.cssSelector("#view-history tbody"),
                    java.util.regex.Pattern.compile("yearly-report.*SUCCEEDED")),
                ExpectedConditions.not(
                    ExpectedConditions.textToBePresentInElementLocated(
                        By.cssSelector("#view-history tbody"), "quick.json"))));
        assertThat(text(wait, "#view-history tbody")).doesNotContain("quick.json");
        Cli history = Cli.jobhost(web.config().file(), "history", "yearly-report", "--json");
        assertThat(Worklog.parse(history.out()).get(0).get("outcome").asText())
            .isEqualTo("SUCCEEDED");

        task.clear();
        task.sendKeys(Keys.TAB);
        web.drop("sleeper", "sleep 30");
        wait.until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#jobs tr[data-job='sleeper.json']")));
        wait.until(
            ExpectedConditions.textMatches(
                By.cssSelector("#view-history tbody"), java.util.regex.Pattern.compile("quick")));
        // The same filter again, whose rows have not changed since they were last shown: the
        // table is filtered again, not left as it is.
        task.sendKeys("yearly-report", Keys.TAB);
        wait.until(
            ExpectedConditions.not(
                ExpectedConditions.textToBePresentInElementLocated(
                    By.cssSelector("#view-history tbody"), "quick.json")));
        assertThat(text(wait, "#view-history tbody")).contains("yearly-report");
        task.clear();
        task.sendKeys(Keys.TAB);
        screenshot(browser, "dashboard-views.png");
      } finally {
        browser.quit();
      }
    }
  }

  /**
   * The text of what the selector finds, read again if the page redrew it in between (the views are
   * re-rendered on every refresh, which makes an element found a moment ago stale).
   */
  private static String text(WebDriverWait wait, String css) {
    return wait.ignoring(StaleElementReferenceException.class)
        .until(d -> d.findElement(By.cssSelector(css)).getText());
  }

  /** Clicks what the selector finds, again if the page redrew it in between. */
  private static void click(WebDriverWait wait, String css) {
    wait.ignoring(StaleElementReferenceException.class)
        .until(
            d -> {
              d.findElement(By.cssSelector(css)).click();
              return true;
            });
  }

  private static String daemonState(WebDaemon web) {
    Cli c = Cli.jobhost(web.config().file(), "status", "--json");
    return Worklog.parse(c.out()).get("state").asText();
  }

  /** Saves a screenshot under target/ (the failsafe working directory is the module's). */
  private static void screenshot(WebDriver browser, String name) {
    Path png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
    try {
      Path out = Files.createDirectories(Path.of("target", "screenshots")).resolve(name);
      Files.copy(png, out, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
