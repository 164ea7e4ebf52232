package org.jobhost.dist.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jobhost.testsupport.Cli;

/**
 * The worklog as {@code jobhost history --json} prints it, read from a command-line process, oldest
 * run first. Stateless; thread-safe.
 */
public final class Worklog {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Worklog() {}

  /** The runs {@code history --json --limit 100000 [args...]} prints, oldest first. */
  public static List<JsonNode> runs(Path config, String... args) {
    List<String> all = new ArrayList<>(List.of("history", "--json", "--limit", "100000"));
    all.addAll(List.of(args));
    Cli r = Cli.jobhost(config, all.toArray(new String[0]));
    if (r.code() != 0) {
      throw new AssertionError("jobhost " + all + " exited " + r.code() + ": " + r.err());
    }
    List<JsonNode> runs = new ArrayList<>();
    parse(r.out()).forEach(runs::add);
    java.util.Collections.reverse(runs);
    return runs;
  }

  /** Parses JSON output; fails naming the text when it is no JSON. */
  public static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new AssertionError("not JSON: " + e.getOriginalMessage() + "\n" + text, e);
    }
  }

  /** A time field of a run, such as {@code started_at}. */
  public static Instant time(JsonNode run, String field) {
    return Instant.parse(run.get(field).asText());
  }
}
