package org.jobhost.dist.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jobhost.dist.support.SpoolFiles;
import org.jobhost.testsupport.HostConfig;
import org.jobhost.testsupport.HostProcess;

/**
 * A daemon configuration with the web plugin on a free loopback port and a token file, and the HTTP
 * calls the tests make to it. Immutable apart from the files it writes.
 *
 * @param config the written configuration
 * @param port the web plugin's port
 * @param token the token actions need
 */
record WebDaemon(HostConfig config, int port, String token) {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** Writes {@code dir/jobhost.toml} with {@code max_workers} slots and the web plugin serving. */
  static WebDaemon write(Path dir, int maxWorkers) {
    return write(dir, maxWorkers, "");
  }

  /** As {@link #write(Path, int)}, with more tables (such as cron tasks) after the web section. */
  static WebDaemon write(Path dir, int maxWorkers, String moreTables) {
    int port = freePort();
    String token = "it-token-" + Long.toHexString(System.nanoTime()) + "-0123456789";
    Path tokenFile = dir.resolve("web-token");
    try {
      Files.writeString(tokenFile, token + "\n", StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    HostConfig config =
        HostConfig.write(
            dir,
            "max_workers = " + maxWorkers,
            "[plugins.web]\nenabled = true\nlisten = \"127.0.0.1:"
                + port
                + "\"\ntoken_file = \""
                + tokenFile
                + "\"\n"
                + moreTables);
    return new WebDaemon(config, port, token);
  }

  /**
   * Starts the daemon, its output in {@code host.out} beside the configuration, and waits until it
   * is ready and the web plugin serves (10 s at most after ready).
   */
  HostProcess start() {
    HostProcess host = HostProcess.start(config.file(), config.dir().resolve("host.out"));
    host.awaitLog("plugin=web serving", Duration.ofSeconds(10));
    return host;
  }

  /** A port nothing listens on now (the daemon binds it a moment later). */
  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String base() {
    return "http://127.0.0.1:" + port + "/";
  }

  /** GETs {@code path} (relative to the root); the body. */
  String get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base() + path)).GET()).body();
  }

  /** POSTs an action with the token; the response. */
  HttpResponse<String> act(String path) {
    return send(
        HttpRequest.newBuilder(URI.create(base() + path))
            .header("X-Jobhost-Token", token)
            .POST(HttpRequest.BodyPublishers.noBody()));
  }

  private static HttpResponse<String> send(HttpRequest.Builder b) {
    try {
      return HTTP.send(
          b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Drops a command job running {@code shell} into the spool; its job id is {@code name}.json. */
  void drop(String name, String shell) {
    SpoolFiles.drop(config.spool(), name + ".json", SpoolFiles.commandJob(shell));
  }

  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[^}]*\\})?) (\\S+)$", Pattern.MULTILINE);

  /** The samples of a scrape: {@code name{labels}} to value. */
  static Map<String, Double> samples(String text) {
    Map<String, Double> out = new HashMap<>();
    Matcher m = SAMPLE.matcher(text);
    while (m.find()) {
      out.put(m.group(1), Double.parseDouble(m.group(2)));
    }
    return out;
  }

  /** The sum of every sample of {@code name} whose labels contain {@code labelFilter}. */
  static double sum(Map<String, Double> samples, String name, String labelFilter) {
    return samples.entrySet().stream()
        .filter(
            e ->
                (e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
                    && e.getKey().contains(labelFilter))
        .mapToDouble(Map.Entry::getValue)
        .sum();
  }
}
