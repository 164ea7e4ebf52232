package ${package};

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Set;
import org.jobhost.api.Job;
import org.jobhost.api.JobContext;
import org.jobhost.api.JobRunner;
import org.jobhost.api.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs jobs of type {@value #TYPE}: greets the job's {@code name} parameter, as a JSON document
 * written with jackson-core (a library shaded into the plugin jar), and keeps it as the job's
 * output. Thread-safe (stateless): jobs run on several worker threads at once.
 */
public final class ExampleRunner implements JobRunner {

  /** The job type this runner runs: the plugin's id. */
  public static final String TYPE = "${pluginId}";

  private static final Logger log = LoggerFactory.getLogger(ExampleRunner.class);
  private static final JsonFactory JSON = new JsonFactory();

  @Override
  public Set<String> types() {
    return Set.of(TYPE);
  }

  @Override
  public Outcome run(Job job, JobContext context) throws IOException {
    if (context.stopRequested()) {
      return Outcome.cancelled("stopped before it began");
    }
    String name = job.param("name", "world");
    if (name.isBlank()) {
      return Outcome.failed("job " + job.id() + ": the name parameter is blank; give a name");
    }
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("greeting", "hello, " + name);
      g.writeNumberField("attempt", context.attempt());
      g.writeEndObject();
    }
    log.info("job={} greeted: {}", job.id(), out);
    return Outcome.succeeded(out.toString());
  }
}
