-- tasks, plan, run requests, fire claims and the worklog
-- Times are epoch milliseconds (UTC). Keep the SQL plain: the PostgreSQL scripts mirror it.

CREATE TABLE tasks (
  name              TEXT    NOT NULL PRIMARY KEY,
  schedule          TEXT    NOT NULL,
  job_type          TEXT    NOT NULL,
  timezone          TEXT,
  enabled           INTEGER NOT NULL,
  enabled_override  INTEGER,
  timeout_ms        BIGINT,
  max_attempts      INTEGER NOT NULL,
  overlap           TEXT    NOT NULL,
  misfire           TEXT    NOT NULL,
  misfire_cap       INTEGER NOT NULL,
  jitter_ms         BIGINT  NOT NULL,
  rerun_interrupted INTEGER NOT NULL,
  origin            TEXT    NOT NULL,
  updated_at        BIGINT  NOT NULL
);

CREATE TABLE task_params (
  task  TEXT NOT NULL REFERENCES tasks (name) ON DELETE CASCADE,
  name  TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (task, name)
);

-- The plan: each task's next fire time, so the scheduler need not read the table every cycle.
CREATE TABLE plan (
  task       TEXT   NOT NULL PRIMARY KEY REFERENCES tasks (name) ON DELETE CASCADE,
  next_fire  BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- Runs asked for outside the schedule: manual runs, retries, queued fires, interrupted reruns.
CREATE TABLE run_requests (
  id           BIGSERIAL PRIMARY KEY,
  task         TEXT    NOT NULL REFERENCES tasks (name) ON DELETE CASCADE,
  reason       TEXT    NOT NULL,
  not_before   BIGINT  NOT NULL,
  attempt      INTEGER NOT NULL,
  fire_time    BIGINT  NOT NULL,
  job_id       TEXT,
  requested_at BIGINT  NOT NULL
);

-- One row per fire that ran: the primary key is the claim that makes a fire run once, also when
-- several hosts share one database.
CREATE TABLE fires (
  task       TEXT   NOT NULL,
  fire_time  BIGINT NOT NULL,
  host       TEXT   NOT NULL,
  claimed_at BIGINT NOT NULL,
  PRIMARY KEY (task, fire_time)
);

-- The worklog. ended_at IS NULL while a run goes; a run found open at start was interrupted.
CREATE TABLE runs (
  id          BIGSERIAL PRIMARY KEY,
  source      TEXT    NOT NULL,
  task        TEXT,
  job_id      TEXT    NOT NULL,
  job_type    TEXT    NOT NULL,
  attempt     INTEGER NOT NULL,
  fire_time   BIGINT,
  host        TEXT    NOT NULL,
  started_at  BIGINT  NOT NULL,
  ended_at    BIGINT,
  outcome     TEXT,
  exit_code   INTEGER,
  duration_ms BIGINT,
  message     TEXT,
  output_tail TEXT
);

CREATE INDEX runs_by_task ON runs (task, id);
CREATE INDEX runs_by_job ON runs (job_id, attempt);
CREATE INDEX runs_open ON runs (host, ended_at);
CREATE INDEX runs_by_start ON runs (started_at);
