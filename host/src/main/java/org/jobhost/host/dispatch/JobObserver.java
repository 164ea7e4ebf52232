package org.jobhost.host.dispatch;

import org.jobhost.api.Job;
import org.jobhost.api.Outcome;

/** Told of every job's start and end (the host's listeners and worklog). Thread-safe. */
public interface JobObserver {

  /** Before the job is handed to its runner, on the job's worker thread. */
  void jobStarted(Job job);

  /** After each attempt ended and its source was told. */
  void jobEnded(Job job, Outcome outcome);

  /** Observes nothing. */
  JobObserver NONE =
      new JobObserver() {
        @Override
        public void jobStarted(Job job) {}

        @Override
        public void jobEnded(Job job, Outcome outcome) {}
      };
}
