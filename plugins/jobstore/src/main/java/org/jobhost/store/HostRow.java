package org.jobhost.store;

import java.time.Instant;

/**
 * One row of the {@code hosts} table: a jobhost process of the cluster. Immutable.
 *
 * @param name the host's name ({@code host_name} of {@code [plugins.queue]})
 * @param pid its process id
 * @param version its jobhost version
 * @param startedAt when it started
 * @param lastHeartbeat its last heartbeat (database clock)
 * @param state {@code running}, {@code paused}, {@code stopping}, {@code stopped} or {@code dead}
 * @param running jobs it runs
 * @param secondsSinceHeartbeat age of the heartbeat on the database's clock
 */
public record HostRow(
    String name,
    long pid,
    String version,
    Instant startedAt,
    Instant lastHeartbeat,
    String state,
    int running,
    double secondsSinceHeartbeat) {}
