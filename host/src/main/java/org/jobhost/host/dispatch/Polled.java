package org.jobhost.host.dispatch;

import org.jobhost.api.Job;
import org.jobhost.api.JobSource;
import org.jobhost.host.plugins.Contribution;

/** A polled job and the source it came from. Immutable. */
record Polled(Job job, Contribution<JobSource> source) {}
