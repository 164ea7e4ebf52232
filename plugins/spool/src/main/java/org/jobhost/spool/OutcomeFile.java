package org.jobhost.spool;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import org.jobhost.api.Job;
import org.jobhost.api.Outcome;

/**
 * The {@code <name>.outcome.json} written beside an ended job file: its job, attempt and outcome,
 * pretty-printed, written to a temporary file and renamed into place. Stateless.
 */
final class OutcomeFile {

  private static final JsonFactory JSON = new JsonFactory();

  private OutcomeFile() {}

  static void write(Path target, Job job, Outcome outcome, Instant endedAt) throws IOException {
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
    try (JsonGenerator g = JSON.createGenerator(tmp.toFile(), JsonEncoding.UTF8)) {
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeStringField("job_id", job.id());
      g.writeStringField("type", job.type());
      g.writeNumberField("attempt", job.attempt());
      g.writeStringField("outcome", outcome.kind().name());
      if (outcome.exitCode().isPresent()) {
        g.writeNumberField("exit_code", outcome.exitCode().getAsInt());
      } else {
        g.writeNullField("exit_code");
      }
      g.writeStringField("message", outcome.message());
      g.writeStringField("output_tail", outcome.output());
      g.writeStringField("ended_at", endedAt.toString());
      g.writeEndObject();
    }
    SpoolFiles.move(tmp, target);
  }
}
