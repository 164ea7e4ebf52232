#!/usr/bin/env bash
# Where the daemon's start goes, phase by phase, with the bundled plugins as shipped (web and demo
# off): the time from launch to each milestone line of the log, the best of RUNS starts (after one
# warm-up that writes the class-data archive), for every JDK in JDKS. With JFR=1 it also records
# the last start with Flight Recorder and prints the hottest frames of the main thread (CPU
# samples) and what it waited for longest.
# It works in a fresh directory beside the tree, as run-all.sh does: under /tmp the launcher trusts
# no class-data archive, and bin/jobhost-cds-archives no plugin jar.
#
#   bench/start-profile.sh                  # RUNS=5, JDK 17 and Temurin 25
#   JFR=1 RUNS=1 bench/start-profile.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd -P)
TREE=${TREE:-$here/../dist/target/jobhost}
TREE=$(cd "$TREE" && pwd -P)
RUNS=${RUNS:-5}
JDKS=${JDKS:-"/usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-25-jdk-amd64"}
work=$(mktemp -d "$(dirname "$TREE")/start-profile.XXXXXX")
cds_base=$work/cds
mkdir -p "$cds_base"
chmod 755 "$work" "$cds_base"
daemon=
cleanup() {
  if [ -n "$daemon" ] && kill -0 "$daemon" 2>/dev/null; then kill -TERM "$daemon"; wait "$daemon" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# The milestones, in the order they are logged: a label and a fixed string of the line.
milestones='first log line|^[0-9]
logging and configuration read|starting (pid
plugins found and loaded by pf4j (before any init)|plugin=demo is disabled
cron initialised (SQLite opened, migrated, tasks synced)|plugin=cron database=
queue initialised (heartbeat started)|plugin=queue host=
spool initialised (watcher started)|plugin=spool dir=
command initialised|plugin=command settings
ready (control socket, signals, dispatcher)| ready: '

for jdk in $JDKS; do
  [ -x "$jdk/bin/java" ] || continue
  export JAVA_HOME=$jdk
  tree=$work/tree-$(basename "$jdk")
  cp -r "$TREE" "$tree"
  rm -rf "$tree/var/cds"
  # The copy's own class-data archives, made as the build makes them (an archive names the jars'
  # paths, so the build's archives do not fit the copy).
  JOBHOST_CDS_DIR=$cds_base/$(basename "$jdk")
  export JOBHOST_CDS_DIR
  mkdir -p "$JOBHOST_CDS_DIR"
  "$tree/bin/jobhost-cds-archives" >&2 || echo "no class-data archives: the starts run without them" >&2
  d=$work/$(basename "$jdk")
  mkdir -p "$d/spool"
  cat >"$d/jobhost.toml" <<TOML
plugins_dir = "$tree/plugins"
log_dir = "$d/logs"
state_dir = "$d/var"
run_dir = "$d/run"
allow_root = true
[plugins.web]
enabled = false
[plugins.demo]
enabled = false
[plugins.spool]
dir = "$d/spool"
TOML
  : >"$d/all.txt"
  for i in $(seq 0 "$RUNS"); do
    opts=
    if [ "${JFR:-0}" = 1 ] && [ "$i" = "$RUNS" ]; then
      opts="-XX:StartFlightRecording=filename=$d/start.jfr,settings=profile"
    fi
    t0=$(date +%s%3N)
    JAVA_OPTS=$opts "$tree/bin/jobhost" run --config "$d/jobhost.toml" >"$d/out" 2>&1 &
    daemon=$!
    until grep -q " ready: " "$d/out"; do sleep 0.002; done
    if [ -n "$opts" ]; then jcmd "$daemon" JFR.dump name=1 filename="$d/start.jfr" >/dev/null 2>&1 || true; fi
    kill -TERM "$daemon"
    wait "$daemon" || true
    daemon=
    [ "$i" = 0 ] && continue # a warm-up start
    printf '%s\n' "$milestones" | while IFS='|' read -r label text; do
      line=$(grep -m1 -- "$text" "$d/out" | grep -o '^[0-9:.]*' || true)
      [ -z "$line" ] && continue
      ms=$(date -d "$(date -u +%F) $line UTC" +%s%3N 2>/dev/null || echo "$t0")
      echo "$label|$((ms - t0))"
    done >>"$d/all.txt"
  done
  echo "== $("$jdk/bin/java" -version 2>&1 | head -1), best of $RUNS (ms from launch; the step's own share)"
  prev=0
  printf '%s\n' "$milestones" | while IFS='|' read -r label _; do
    best=$(grep -F -- "$label|" "$d/all.txt" | cut -d'|' -f2 | sort -n | head -1)
    [ -z "$best" ] && continue
    printf '  %6s ms  (+%5s)  %s\n' "$best" "$((best - prev))" "$label"
    prev=$best
  done
  if [ -f "$d/start.jfr" ]; then
    echo "  JFR, main thread, CPU samples by their first frame outside the JDK:"
    "$jdk/bin/jfr" print --events jdk.ExecutionSample,jdk.NativeMethodSample "$d/start.jfr" \
      | awk '/sampledThread = "main"/ {m=1; next}
             /^}/ {m=0}
             m && /line:/ {sub(/^[ \t]+/, ""); sub(/\(.*/, ""); if ($0 !~ /^(java|jdk|sun|com\.sun)\./) {print; m=0}}' \
      | sort | uniq -c | sort -rn | head -15 | sed 's/^/    /'
  fi
done
