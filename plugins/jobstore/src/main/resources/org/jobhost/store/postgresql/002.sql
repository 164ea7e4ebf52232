-- the job queue and the hosts of a cluster
-- Times are epoch milliseconds (UTC) of the database's clock. Keep the SQL plain: the PostgreSQL
-- script mirrors it (only the id column and the clock expression differ).

-- state: queued -> running -> succeeded | dead | cancelled; running -> queued on a retry, a
-- stop of the host before the job ended, or the recovery of a dead host's jobs.
CREATE TABLE jobs (
  id           BIGSERIAL PRIMARY KEY,
  type         TEXT    NOT NULL,
  params       TEXT    NOT NULL DEFAULT '{}',
  priority     INTEGER NOT NULL DEFAULT 0,
  run_at       BIGINT  NOT NULL DEFAULT (CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)),
  attempt      INTEGER NOT NULL DEFAULT 1,
  max_attempts INTEGER NOT NULL DEFAULT 0,
  timeout_ms   BIGINT,
  unique_key   TEXT,
  state        TEXT    NOT NULL DEFAULT 'queued',
  claimed_by   TEXT,
  claimed_at   BIGINT,
  heartbeat    BIGINT,
  created_at   BIGINT  NOT NULL DEFAULT (CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)),
  ended_at     BIGINT,
  last_error   TEXT
);

CREATE INDEX jobs_due ON jobs (priority DESC, run_at, id) WHERE state = 'queued';
CREATE INDEX jobs_running ON jobs (claimed_by, heartbeat) WHERE state = 'running';
CREATE INDEX jobs_by_state ON jobs (state, type);
CREATE UNIQUE INDEX jobs_unique_live ON jobs (unique_key) WHERE state IN ('queued', 'running');

CREATE TABLE hosts (
  name           TEXT    NOT NULL PRIMARY KEY,
  pid            BIGINT  NOT NULL,
  version        TEXT    NOT NULL,
  started_at     BIGINT  NOT NULL,
  last_heartbeat BIGINT  NOT NULL,
  state          TEXT    NOT NULL,
  running        INTEGER NOT NULL
);
