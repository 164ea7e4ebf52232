package org.jobhost.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jobhost.api.Job;
import org.jobhost.api.Outcome;
import org.jobhost.api.PluginSettings;
import org.jobhost.api.SettingsException;
import org.jobhost.testkit.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What the spool does with entries of {@code incoming/} that are not honest job files. */
class SpoolHostileInputTest {

  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
  private static final String COMMAND =
      "{\"type\": \"command\", \"params\": {\"shell\": \"true\"}}";

  @TempDir Path dir;
  @TempDir Path outside;

  private final ManualClock clock = new ManualClock(T0);

  private Spool spool(long maxFileSize) throws Exception {
    return new Spool(dir, clock, Duration.ofMillis(500), true, maxFileSize);
  }

  private Path incoming(String name) throws Exception {
    return Files.createDirectories(dir.resolve("incoming")).resolve(name);
  }

  private Path drop(String name, byte[] content) throws Exception {
    Path f = incoming(name);
    Files.write(f, content);
    Files.setLastModifiedTime(f, FileTime.from(T0.minusSeconds(5)));
    return f;
  }

  private Path drop(String name, String content) throws Exception {
    return drop(name, content.getBytes(StandardCharsets.UTF_8));
  }

  private String error(String stem) throws Exception {
    return Files.readString(dir.resolve("failed/" + stem + ".error"));
  }

  private void assertNothingActive() throws Exception {
    try (var files = Files.list(dir.resolve("active"))) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void symbolicLinkIsNeverFollowedAndGoesToFailedSayingWhy() throws Exception {
    Path secret = Files.writeString(outside.resolve("secret.json"), COMMAND);
    Files.createSymbolicLink(incoming("link.json"), secret);
    Spool s = spool(Spool.DEFAULT_MAX_FILE_SIZE);
    clock.set(Instant.now().plusSeconds(3600));
    assertThat(s.poll(5)).isEmpty();
    assertThat(error("link")).contains("incoming/link.json").contains("is a symbolic link");
    assertThat(dir.resolve("failed/link.json")).isSymbolicLink();
    assertThat(secret).hasContent(COMMAND);
    assertNothingActive();
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void namedPipeIsNeverOpenedAndGoesToFailedSayingWhy() throws Exception {
    Path fifo = incoming("pipe.json");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    assertThat(mk.waitFor()).isZero();
    Spool s = spool(Spool.DEFAULT_MAX_FILE_SIZE);
    clock.set(Instant.now().plusSeconds(3600));
    assertThat(s.poll(5)).isEmpty();
    assertThat(error("pipe")).contains("is not a regular file");
    assertNothingActive();
  }

  @Test
  void fileOverTheSizeCapGoesToFailedNamingItsSizeAndTheSetting() throws Exception {
    drop("big.json", "{\"type\": \"command\", \"params\": {\"x\": \"" + "a".repeat(2000) + "\"}}");
    drop("small.json", COMMAND);
    Spool s = spool(1000);
    assertThat(s.poll(5)).extracting(Job::id).containsExactly("small.json");
    assertThat(error("big"))
        .contains("incoming/big.json")
        .contains("is 2040 bytes")
        .contains("max_file_size (1000 bytes)");
    assertThat(dir.resolve("failed/big.json")).exists();
  }

  @Test
  void fiftyMegabyteValueEndsInFailedUnderTheDefaultCap() throws Exception {
    byte[] huge = new byte[50 * 1024 * 1024];
    java.util.Arrays.fill(huge, (byte) 'a');
    byte[] head = "{\"type\": \"command\", \"params\": {\"x\": \"".getBytes(StandardCharsets.UTF_8);
    System.arraycopy(head, 0, huge, 0, head.length);
    huge[huge.length - 3] = '"';
    huge[huge.length - 2] = '}';
    huge[huge.length - 1] = '}';
    drop("huge.json", huge);
    Spool s = spool(Spool.DEFAULT_MAX_FILE_SIZE);
    assertThat(s.poll(5)).isEmpty();
    assertThat(error("huge")).contains("is 52428800 bytes").contains("max_file_size");
    assertNothingActive();
  }

  @Test
  void valuePastTheParserLimitWithoutAPositionEndsInFailedWithAReason() {
    // Jackson's length limits report no position: where() must not fail on it.
    String longNumber = "1".repeat(2000);
    assertThatThrownBy(
            () ->
                JobFile.parse(
                    ("{\"type\": \"command\", \"max_attempts\": " + longNumber + "}")
                        .getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(JobFile.Malformed.class)
        .hasMessageContaining("invalid JSON");
  }

  @Test
  void everyOddParseFailureEndsInFailedWithAReasonAndNothingStaysActive() throws Exception {
    Map<String, byte[]> odd =
        Map.of(
            "empty.json", new byte[0],
            "array.json", "[{\"type\": \"command\"}]".getBytes(StandardCharsets.UTF_8),
            "string.json", "\"command\"".getBytes(StandardCharsets.UTF_8),
            "deep.json",
                ("{\"type\": \"command\", \"x\": " + "[".repeat(5000) + "]".repeat(5000) + "}")
                    .getBytes(StandardCharsets.UTF_8),
            "deepparams.json",
                ("{\"params\": {\"a\": " + "{\"b\": ".repeat(3000) + "1" + "}".repeat(3001) + "}")
                    .getBytes(StandardCharsets.UTF_8),
            "utf8.json",
                new byte[] {
                  '{', '"', 't', 'y', 'p', 'e', '"', ':', '"', (byte) 0xC3, '(', '"', '}'
                },
            "utf32.json", new byte[] {0, 0, 0, '{', 0, 0, 0, '"', (byte) 0xff, (byte) 0xff},
            "bignum.json",
                ("{\"type\": \"command\", \"max_attempts\": 1" + "0".repeat(400) + "}")
                    .getBytes(StandardCharsets.UTF_8),
            "bigfloat.json",
                ("{\"type\": \"command\", \"max_attempts\": 1e999999999}")
                    .getBytes(StandardCharsets.UTF_8),
            "nul.json", new byte[] {0, 0, 0, 0});
    for (Map.Entry<String, byte[]> e : odd.entrySet()) {
      drop(e.getKey(), e.getValue());
    }
    Spool s = spool(Spool.DEFAULT_MAX_FILE_SIZE);
    assertThat(s.poll(50)).isEmpty();
    for (String name : odd.keySet()) {
      String stem = name.substring(0, name.length() - ".json".length());
      assertThat(dir.resolve("failed/" + name)).as(name).exists();
      assertThat(error(stem)).as(name).contains("incoming/" + name + ": ").doesNotContain("null");
    }
    assertNothingActive();
    assertThat(new Spool(dir, clock, Duration.ofMillis(500), true).requeueActive()).isZero();
    try (var files = Files.list(dir.resolve("incoming"))) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void secondFileOfANameInFlightWaitsAndRunsAfterTheFirstWithoutClobberingIt() throws Exception {
    Spool s = spool(Spool.DEFAULT_MAX_FILE_SIZE);
    drop("x.json", "{\"type\": \"first\"}");
    List<Job> first = s.poll(5);
    assertThat(first).extracting(Job::type).containsExactly("first");
    drop("x.json", "{\"type\": \"second\"}");
    clock.set(T0.plusSeconds(2));
    assertThat(s.poll(5)).isEmpty();
    assertThat(dir.resolve("active/x.json")).content().contains("first");
    assertThat(dir.resolve("incoming/x.json")).content().contains("second");
    s.completed(first.get(0), Outcome.succeeded());
    assertThat(s.poll(5)).extracting(Job::type).containsExactly("second");
    s.completed(new Job("x.json", "second", Map.of()), Outcome.succeeded());
    assertThat(dir.resolve("done/x.json")).content().contains("first");
    assertThat(dir.resolve("done/x-1.json")).content().contains("second");
    assertThat(dir.resolve("done/x-1.outcome.json")).exists();
  }

  @Test
  void failedFileNeverReplacesAnEarlierFailedFileOfTheSameName() throws Exception {
    Spool s = spool(Spool.DEFAULT_MAX_FILE_SIZE);
    drop("x.json", "not json 1");
    s.poll(5);
    drop("x.json", "not json 2");
    clock.set(T0.plusSeconds(2));
    s.poll(5);
    assertThat(dir.resolve("failed/x.json")).content().isEqualTo("not json 1");
    assertThat(dir.resolve("failed/x-1.json")).content().isEqualTo("not json 2");
    assertThat(dir.resolve("failed/x-1.error")).exists();
  }

  @Test
  void namesWithControlCharactersAreEscapedForLogLines() {
    assertThat(SpoolFiles.printable("a\nINFO fake line\r\t\u0007\\b.json"))
        .isEqualTo("a\\nINFO fake line\\r\\t\\u0007\\\\b.json")
        .doesNotContain("\n");
  }

  @Test
  void maxFileSizeTakesBytesOrAUnitAndRejectsNonsenseNamingTheKey() {
    assertThat(SpoolSource.maxFileSize(PluginSettings.of(Map.of()))).isEqualTo(1024 * 1024);
    assertThat(SpoolSource.maxFileSize(PluginSettings.of(Map.of("max_file_size", 4096L))))
        .isEqualTo(4096);
    assertThat(SpoolSource.maxFileSize(PluginSettings.of(Map.of("max_file_size", "2MB"))))
        .isEqualTo(2 * 1024 * 1024);
    assertThat(SpoolSource.maxFileSize(PluginSettings.of(Map.of("max_file_size", "512 kb"))))
        .isEqualTo(512 * 1024);
    assertThatThrownBy(
            () -> SpoolSource.maxFileSize(PluginSettings.of(Map.of("max_file_size", "huge"))))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("max_file_size")
        .hasMessageContaining("\"1MB\"");
    assertThatThrownBy(
            () -> SpoolSource.maxFileSize(PluginSettings.of(Map.of("max_file_size", 0L))))
        .hasMessageContaining("from 1 byte to 1GB");
  }

  @Test
  void reloadWithABadMaxFileSizeIsRejectedNamingTheKey() {
    assertThatThrownBy(
            () ->
                new SpoolSource()
                    .validateSettings(PluginSettings.of(Map.of("max_file_size", "lots"))))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("max_file_size");
  }

  @Test
  void readmeShowsTheDefaultMaxFileSizeAsTheCodeHasIt() throws Exception {
    String readme = Files.readString(Path.of("..", "..", "README.md"));
    assertThat(readme)
        .containsPattern(
            "\\| `max_file_size` \\| [^\n]+ \\| `\""
                + org.jobhost.api.Sizes.format(Spool.DEFAULT_MAX_FILE_SIZE)
                + "\"` \\|");
  }
}
