package ${package};

import java.util.concurrent.atomic.AtomicLong;
import org.jobhost.api.Host;
import org.jobhost.api.HostListener;
import org.jobhost.api.Job;
import org.jobhost.api.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the jobs of type {@value ExampleRunner#TYPE} that ended, and says how many when the daemon
 * stops. {@link #jobEnded} runs on worker threads, at the same time for different jobs.
 */
public final class ExampleListener implements HostListener {

  private static final Logger log = LoggerFactory.getLogger(ExampleListener.class);

  private final AtomicLong ended = new AtomicLong();

  @Override
  public void jobEnded(Job job, Outcome outcome) {
    if (ExampleRunner.TYPE.equals(job.type())) {
      ended.incrementAndGet();
    }
  }

  @Override
  public void stopping(Host host) {
    log.info("${pluginId}: {} jobs ended", ended.get());
  }

  /** How many jobs of this plugin's type ended so far. */
  public long ended() {
    return ended.get();
  }
}
