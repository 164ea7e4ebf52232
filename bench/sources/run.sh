#!/bin/sh
# Benchmarks of the job sources; never run by the build or the tests. Needs a built tree:
#   mvn -B -q -o package -DskipTests -Dspotless.check.skip=true
#   bench/sources/run.sh [spool|tasks|worklog]...      (default: all three)
# Environment: TREE (default dist/target/jobhost), WORKERS (default 4), FILES (1000),
# TASKS (10000), RUNS (20000). Every run works in a fresh directory under /tmp, removed at the end.
set -eu

here=$(cd "$(dirname "$0")" && pwd -P)
TREE=${TREE:-$here/../../dist/target/jobhost}
TREE=$(cd "$TREE" && pwd -P)
WORKERS=${WORKERS:-4}
FILES=${FILES:-1000}
TASKS=${TASKS:-10000}
RUNS=${RUNS:-20000}
work=$(mktemp -d /tmp/jobhost-bench.XXXXXX)
daemon=

cleanup() {
  if [ -n "$daemon" ] && kill -0 "$daemon" 2>/dev/null; then
    kill -TERM "$daemon" 2>/dev/null || true
    wait "$daemon" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

now_ms() { date +%s%3N; }

# cpu_ms PID: user + system CPU time the process used so far, in milliseconds.
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%d", ($14 + $15) * 1000 / hz }' "/proc/$1/stat"; }

# config DIR [extra top-level keys]: a configuration with every directory inside DIR.
config() {
  mkdir -p "$1"
  cat >"$1/jobhost.toml" <<TOML
plugins_dir = "$TREE/plugins"
log_dir = "$1/logs"
state_dir = "$1/var"
run_dir = "$1/run"
pid_file = "$1/run/jobhost.pid"
max_workers = $WORKERS
${2:-}

[plugins.demo]
count = 1
rate = 0

[plugins.cron]
host_name = "bench"

[plugins.spool]
dir = "$1/spool"
min_age = "0s"
TOML
}

# await_line FILE TEXT: waits (up to 120 s) until FILE contains TEXT.
await_line() {
  i=0
  while ! grep -q "$2" "$1" 2>/dev/null; do
    i=$((i + 1))
    if [ $i -gt 12000 ]; then
      echo "timed out waiting for '$2' in $1" >&2
      tail -20 "$1" >&2
      exit 1
    fi
    sleep 0.01
  done
}

spool() {
  for kind in command demo; do
    dir=$work/spool-$kind
    config "$dir"
    mkdir -p "$dir/spool/incoming" "$dir/spool/done"
    case $kind in
      command) job='{"type": "command", "params": {"argv": "true"}}' ;;
      demo) job='{"type": "demo", "params": {"work": "0ms"}}' ;;
    esac
    i=0
    while [ $i -lt "$FILES" ]; do
      echo "$job" >"$dir/spool/incoming/job-$i.json"
      i=$((i + 1))
    done
    # Not --exit-when-idle: the drain ends when the last file is in done/; the daemon is then
    # stopped with TERM (see the report: one run of --exit-when-idle hung after the idle exit).
    start=$(now_ms)
    "$TREE/bin/jobhost" run --config "$dir/jobhost.toml" >"$dir/out" 2>&1 &
    daemon=$!
    await_line "$dir/out" "ready:"
    cpu_ready=$(cpu_ms "$daemon")
    i=0
    while [ "$(find "$dir/spool/done" -name 'job-*.json' ! -name '*.outcome.json' | wc -l)" -lt "$FILES" ]; do
      i=$((i + 1))
      if [ $i -gt 6000 ]; then
        echo "spool did not drain within 10 minutes; see $dir/out" >&2
        exit 1
      fi
      sleep 0.1
    done
    wall=$(($(now_ms) - start))
    cpu_drain=$(($(cpu_ms "$daemon") - cpu_ready))
    kill -TERM "$daemon"
    wait "$daemon" || true
    daemon=
    done_files=$(find "$dir/spool/done" -name 'job-*.json' ! -name '*.outcome.json' | wc -l)
    JOBHOST_CONFIG=$dir/jobhost.toml "$TREE/bin/jobhost" history --json --limit 100000 >"$dir/history.json"
    python3 - "$dir/history.json" "$kind" "$done_files" "$wall" "$cpu_drain" <<'PY'
import json, sys
from datetime import datetime
runs = [r for r in json.load(open(sys.argv[1])) if r["job_id"].endswith(".json")]
t = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
first = min(t(r["started_at"]) for r in runs)
last = max(t(r["ended_at"]) for r in runs)
n = len(runs)
print(f"spool drain, type {sys.argv[2]}: {sys.argv[3]} files in done/, {n} runs in the worklog;"
      f" first start to last end {last - first:.2f} s = {n / (last - first):.0f} jobs/s;"
      f" JVM start to the last file in done/ {int(sys.argv[4]) / 1000:.2f} s;"
      f" daemon CPU after ready {int(sys.argv[5]) / 1000:.2f} s = {int(sys.argv[5]) * 1000 / n:.0f} us/job")
PY
  done
}

# rss PID: the daemon's resident memory in MB.
rss() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

tasks() {
  for n in 0 "$TASKS"; do
    dir=$work/tasks-$n
    config "$dir"
    if [ "$n" -gt 0 ]; then
      java -cp "$TREE/plugins/cron.jar:$TREE/lib/*" "$here/SourcesBench.java" add-tasks \
        "$dir/var/jobhost.db" "$n"
    fi
    start=$(now_ms)
    "$TREE/bin/jobhost" run --config "$dir/jobhost.toml" >"$dir/out" 2>&1 &
    daemon=$!
    await_line "$dir/out" "ready:"
    ready=$(($(now_ms) - start))
    rss_ready=$(rss "$daemon")
    sleep 10
    rss_later=$(rss "$daemon")
    kill -TERM "$daemon"
    wait "$daemon" || true
    daemon=
    echo "task table of $n tasks: ready after $ready ms (JVM start to the ready line);" \
      "VmRSS ${rss_ready} MB at ready, ${rss_later} MB 10 s later"
  done
}

worklog() {
  java -cp "$TREE/plugins/cron.jar:$TREE/lib/*" "$here/SourcesBench.java" worklog \
    "$work/worklog.db" "$RUNS"
}

echo "jobhost source benchmarks: $(nproc) cores, $(java -version 2>&1 | head -1), workers $WORKERS"
for b in ${*:-spool tasks worklog}; do
  "$b"
done
