#!/usr/bin/env bash
# Every row of the performance table (issue 12) in one run, each beside its floor or peer measured
# in the same run, on every JDK in JDKS, with the bundled plugins loaded as shipped (cron, queue,
# spool, command, signal-stats; demo only where it makes the jobs; web off). Writes the table into
# bench/README.md between the run-all markers (NO_README=1: print it only).
#
#   mvn -B -q -o package -DskipTests -Dspotless.check.skip=true      # the tree and the .deb
#   bench/run-all.sh                    # full: about 6-10 min per JDK on a quiet 2-core machine
#   QUICK=1 bench/run-all.sh            # smoke check: fewer jobs, one run each (2-3 min per JDK)
#
# Environment: JDKS (JAVA_HOMEs, default JDK 17 and Temurin 25), TREE (dist/target/jobhost),
# QUICK, NO_README, KEEP=1 (keep the work directory with every log), CLUSTER=1 (also the PostgreSQL row through bench/cluster, on every JDK; needs
# `mvn -B -Pbench package -DskipTests` first; adds about 4 min a JDK), JMH=1 (the dispatcher floor
# through bench/jmh/target/benchmarks.jar, built the same way).
# Never run by the build or the tests. Everything runs in a fresh directory beside the tree (not
# under /tmp: the launcher trusts no class-data archive, and bin/jobhost-cds-archives no plugin
# jar, below a directory that other users can write).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd -P)
repo=$(cd "$here/.." && pwd -P)
TREE=${TREE:-$repo/dist/target/jobhost}
[ -x "$TREE/bin/jobhost" ] || { echo "no $TREE/bin/jobhost; build the tree first" >&2; exit 1; }
TREE=$(cd "$TREE" && pwd -P)
JDKS=${JDKS:-"/usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-25-jdk-amd64"}
QUICK=${QUICK:-0}
if [ "$QUICK" = 1 ]; then
  RUNS=1 CTL_RUNS=3 DRAIN_RUNS=1 SPOOL_N=1000 DEMO_N=5000 STEADY_N=20000 ISO_N=5000 COMPUTE_N=2
  PG_N=2000
else
  RUNS=3 CTL_RUNS=7 DRAIN_RUNS=3 SPOOL_N=20000 DEMO_N=20000 STEADY_N=200000 ISO_N=20000 COMPUTE_N=3
  PG_N=20000
fi

work=$(mktemp -d "$(dirname "$TREE")/bench-work.XXXXXX")
cds_base=$(mktemp -d "$(dirname "$TREE")/bench-cds.XXXXXX")
chmod 755 "$cds_base"
daemon=
cleanup() {
  rm -rf "$cds_base"
  if [ -n "$daemon" ] && kill -0 "$daemon" 2>/dev/null; then
    kill -TERM "$daemon" 2>/dev/null || true
    wait "$daemon" 2>/dev/null || true
  fi
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

rows=$work/rows.md
: >"$rows"
now_ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "-"; else print (NR % 2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
best() { sort -n | head -1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0 || a == "-" || b == "-") print "-"; else printf "%.2f", a / b }'; }
row() { printf '| %s |\n' "$(printf '%s' "$1" | sed 's/|/ | /g')" >>"$rows"; printf '%s\n' "$1" | tr '|' '\t' >&2; }

# wait_line FILE TEXT SECONDS: waits until FILE contains TEXT; fails after SECONDS.
wait_line() {
  local end=$(($(date +%s) + $3))
  until grep -q -- "$2" "$1" 2>/dev/null; do
    if [ "$(date +%s)" -gt "$end" ]; then
      echo "timed out waiting for '$2' in $1" >&2
      tail -20 "$1" >&2
      return 1
    fi
    sleep 0.002
  done
}

# conf DIR PLUGINS_DIR [top-level keys] [demo section]: the bundled plugins as shipped, all state
# inside DIR.
conf() {
  mkdir -p "$1/spool/incoming"
  cat >"$1/jobhost.toml" <<TOML
plugins_dir = "$2"
log_dir = "$1/logs"
state_dir = "$1/var"
run_dir = "$1/run"
pid_file = "$1/run/jobhost.pid"
allow_root = true
${3:-max_workers = 4}

[plugins.web]
enabled = false

[plugins.cron]
host_name = "bench"

[plugins.spool]
dir = "$1/spool"
min_age = "0s"

${4:-[plugins.demo]
enabled = false}
TOML
}

# java_version JAVA_HOME: its version string, such as 17.0.15.
java_version() { "$1/bin/java" -version 2>&1 | head -1 | sed 's/.*version "\([^"]*\)".*/\1/'; }

jobhost() { "$tree/bin/jobhost" "$@"; } # foreground use only: a function sent to the background is a subshell, not the JVM

# history_rate DIR: "jobs seconds jobs_per_s warm_jobs_per_s" from the worklog: first start to last
# end, then over the second half of the ends (the JIT warmed up).
history_rate() {
  JOBHOST_CONFIG=$1/jobhost.toml jobhost history --json --limit 1000000 >"$1/history.json"
  python3 - "$1/history.json" <<'PY'
import json, sys
from datetime import datetime
runs = [r for r in json.load(open(sys.argv[1])) if r.get("ended_at")]
t = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
if not runs:
    print("0 0 0 0"); sys.exit()
first = min(t(r["started_at"]) for r in runs)
last = max(t(r["ended_at"]) for r in runs)
span = max(last - first, 1e-6)
ends = sorted(t(r["ended_at"]) for r in runs)
half = len(ends) // 2
warm = max(ends[-1] - ends[half], 1e-6)
print(f"{len(runs)} {span:.3f} {len(runs) / span:.0f} {(len(ends) - 1 - half) / warm:.0f}")
PY
}

# The floor program and the bench plugin (compiled once, with the first JDK, for release 17).
first_jdk=${JDKS%% *}
mkdir -p "$work/floor" "$work/bench-classes/META-INF/services"
"$first_jdk/bin/javac" --release 17 -nowarn -d "$work/floor" "$here/floor/Floor.java"
"$first_jdk/bin/javac" --release 17 -nowarn -cp "$TREE/lib/*" -d "$work/bench-classes" \
  "$here"/children/src/org/jobhost/bench/children/*.java
echo org.jobhost.bench.children.BenchSource >"$work/bench-classes/META-INF/services/org.jobhost.api.JobSource"
printf '%s\n' org.jobhost.bench.children.NoopRunner org.jobhost.bench.children.ComputeRunner \
  >"$work/bench-classes/META-INF/services/org.jobhost.api.JobRunner"
printf 'Plugin-Id: bench\nPlugin-Version: 1.0.0\n' >"$work/manifest"
mkdir -p "$work/bench-plugins" "$work/no-plugins"
cp "$TREE"/plugins/*.jar "$work/bench-plugins/"
"$first_jdk/bin/jar" cfm "$work/bench-plugins/bench.jar" "$work/manifest" -C "$work/bench-classes" .

echo "jobhost run-all: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), QUICK=$QUICK" >&2
load_before=$(cut -d' ' -f1 /proc/loadavg)

for jdk in $JDKS; do
  [ -x "$jdk/bin/java" ] || { echo "skipping $jdk: no bin/java" >&2; continue; }
  export JAVA_HOME=$jdk
  unset JAVA_OPTS
  v=$(java_version "$jdk")
  j="JDK $v"
  echo "== $j" >&2
  # A private copy of the tree, with class-data archives of its own, made as the build makes them
  # (bin/jobhost-cds-archives), in a directory of ours beside the build's tree (an archive names
  # the jars' paths, so the build's own archives do not fit the copy).
  tree=$work/tree-${v%%.*}
  cp -r "$TREE" "$tree"
  rm -rf "$tree/var/cds"
  plugins=$tree/plugins
  JOBHOST_CDS_DIR=$cds_base/${v%%.*}
  export JOBHOST_CDS_DIR
  mkdir -p "$JOBHOST_CDS_DIR"
  "$tree/bin/jobhost-cds-archives" >&2 || echo "no class-data archives: the rows run without them" >&2

  # --- start: launch to ready (warm archive, best of RUNS), idle RSS; the floor; core only -----
  d=$work/start-$v
  conf "$d" "$plugins"
  floor_run() {
    local t0 t1
    t0=$(now_ms)
    "$jdk/bin/java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$work/floor" Floor "$work/floor.sock" >/dev/null
    t1=$(now_ms)
    echo $((t1 - t0))
  }
  floor_run >/dev/null
  : >"$d/floor.txt"
  for _ in $(seq "$RUNS"); do floor_run >>"$d/floor.txt"; done
  floor_best=$(best <"$d/floor.txt")

  # start_ready CONFIG OUT: launches a daemon (left running in $daemon), prints launch-to-ready ms.
  start_ready() {
    local t0
    : >"$2"
    t0=$(now_ms)
    "$tree/bin/jobhost" run --config "$1" >"$2" 2>&1 &
    daemon=$!
    wait_line "$2" " ready: " 120
    echo $(($(now_ms) - t0))
  }
  stop_daemon() {
    kill -TERM "$daemon" 2>/dev/null || true
    wait "$daemon" 2>/dev/null || true
    daemon=
  }
  start_ready "$d/jobhost.toml" "$d/out" >/dev/null # warm-up (the page cache; the archives are made above)
  stop_daemon
  : >"$d/ready.txt"
  for i in $(seq "$RUNS"); do
    start_ready "$d/jobhost.toml" "$d/out" >>"$d/ready.txt"
    if [ "$i" -lt "$RUNS" ]; then stop_daemon; fi
  done
  ready=$(best <"$d/ready.txt")
  sleep 2
  rss=$(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$daemon/status")

  # --- the command line against the running daemon -------------------------------------------
  # Each call is paired with a run of the floor just before it, so that both medians come from the
  # same minutes: this machine's speed drifts within a run, and a floor taken earlier made ratios
  # of 0.8 and of 1.6 for the same command. Prints the command's median and the floor's.
  ctl() { # command...
    local f=$d/ctl.txt g=$d/ctl-floor.txt t0
    : >"$f"
    : >"$g"
    for _ in $(seq "$CTL_RUNS"); do
      floor_run >>"$g"
      t0=$(now_ms)
      jobhost "$@" --config "$d/jobhost.toml" >/dev/null 2>&1 || true
      echo $(($(now_ms) - t0)) >>"$f"
    done
    echo "$(median <"$f") $(median <"$g")"
  }
  set -- $(ctl status)
  status_ms=$1 status_floor=$2
  set -- $(ctl history --limit 5)
  history_ms=$1 history_floor=$2
  stop_daemon

  dc=$work/core-$v
  conf "$dc" "$work/no-plugins"
  start_ready "$dc/jobhost.toml" "$dc/out" >/dev/null
  stop_daemon
  : >"$dc/ready.txt"
  for _ in $(seq "$RUNS"); do
    start_ready "$dc/jobhost.toml" "$dc/out" >>"$dc/ready.txt"
    stop_daemon
  done
  core=$(best <"$dc/ready.txt")

  row "launch → ready (warm archive, best of $RUNS)|$j|$ready ms (core only: $core ms)|JVM + Unix socket: $floor_best ms|$(ratio "$ready" "$floor_best")×|≤ 300 ms"
  row "idle RSS 2 s after ready|$j|$rss MB|—|—|≤ 64 MB"
  row "\`jobhost status\` (median of $CTL_RUNS)|$j|$status_ms ms|JVM + Unix socket: $status_floor ms (median, run in turn)|$(ratio "$status_ms" "$status_floor")×|≤ 1.3×"
  row "\`jobhost history --limit 5\` (median of $CTL_RUNS)|$j|$history_ms ms|JVM + Unix socket: $history_floor ms (median, run in turn)|$(ratio "$history_ms" "$history_floor")×|≤ 1.5×"

  # --- 200 x 50 ms on 4 slots ----------------------------------------------------------------
  : >"$work/drain.txt"
  : >"$work/whole.txt"
  for i in $(seq "$DRAIN_RUNS"); do
    dd=$work/drain-$v-$i
    conf "$dd" "$plugins" "" "[plugins.demo]
count = 200
rate = 0
work = \"50ms\""
    t0=$(now_ms)
    jobhost run --exit-when-idle --config "$dd/jobhost.toml" >"$dd/out" 2>&1
    echo $(($(now_ms) - t0)) >>"$work/whole.txt"
    set -- $(history_rate "$dd")
    awk -v s="$2" 'BEGIN {printf "%d\n", s * 1000}' >>"$work/drain.txt"
  done
  drain=$(median <"$work/drain.txt")
  whole=$(median <"$work/whole.txt")
  row "200 × 50 ms jobs on 4 slots (median of $DRAIN_RUNS)|$j|drain $drain ms, whole process $whole ms|ideal drain 2500 ms|$(ratio "$drain" 2500)×|drain ≤ 2550 ms, whole ≤ 2900 ms"

  # --- spool: SPOOL_N files of argv true, 4 slots; xargs -P4 true -----------------------------
  ds=$work/spool-$v
  conf "$ds" "$plugins"
  mkdir -p "$ds/spool/incoming"
  (cd "$ds/spool/incoming" && seq "$SPOOL_N" | while read -r n; do
    echo '{"type": "command", "params": {"argv": "true"}}' >"job-$n.json"
  done)
  "$tree/bin/jobhost" run --config "$ds/jobhost.toml" >"$ds/out" 2>&1 &
  daemon=$!
  wait_line "$ds/out" " ready: " 120
  until [ "$(find "$ds/spool/done" -name '*.outcome.json' 2>/dev/null | wc -l)" -ge "$SPOOL_N" ]; do
    kill -0 "$daemon" 2>/dev/null || { echo "daemon died; see $ds/out" >&2; exit 1; }
    sleep 0.5
  done
  stop_daemon
  set -- $(history_rate "$ds")
  spool_rate=$3
  t0=$(now_ms)
  seq "$SPOOL_N" | xargs -P4 -n1 true
  xargs_ms=$(($(now_ms) - t0))
  xargs_rate=$(awk -v n="$SPOOL_N" -v ms="$xargs_ms" 'BEGIN {printf "%.0f", n * 1000 / ms}')
  row "$SPOOL_N spool files of \`argv true\`, 4 slots|$j|$spool_rate jobs/s|\`xargs -P4 true\`: $xargs_rate/s|$(ratio "$spool_rate" "$xargs_rate")|≥ 0.50"

  # in_process DIR COUNT: COUNT demo jobs of 0 ms as fast as slots free, worklog on, until idle;
  # prints history_rate's figures.
  in_process() {
    conf "$1" "$plugins" "" "[plugins.demo]
count = $2
rate = 0
work = \"0ms\""
    jobhost run --exit-when-idle --config "$1/jobhost.toml" >"$1/out" 2>&1
    history_rate "$1"
  }

  # --- DEMO_N in-process jobs of 0 ms, worklog on; peer: the dispatcher alone (JMH=1) ---------
  set -- $(in_process "$work/demo-$v" "$DEMO_N")
  demo_rate=$3
  peer="—"
  if [ "${JMH:-0}" = 1 ] && [ -f "$here/jmh/target/benchmarks.jar" ]; then
    jmh=$("$jdk/bin/java" -jar "$here/jmh/target/benchmarks.jar" DispatchBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s -rf csv -rff "$work/jmh.csv" >/dev/null 2>&1 \
      && awk -F, 'NR > 1 && $1 ~ /dispatcher/ {printf "%.0f", $5; exit}' "$work/jmh.csv")
    peer="dispatcher alone (JMH): ${jmh:-?}/s"
  fi
  row "$DEMO_N in-process jobs of 0 ms (demo, rate 0), worklog on|$j|$demo_rate jobs/s|$peer|$([ "$peer" = "—" ] && echo "—" || ratio "$demo_rate" "${jmh:-0}")|≥ 50,000 jobs/s"

  # --- the same jobs warmed up: the second half of STEADY_N; peer: the first DEMO_N above ------
  set -- $(in_process "$work/steady-$v" "$STEADY_N")
  row "$STEADY_N in-process jobs of 0 ms, the second half (JIT warmed up)|$j|$4 jobs/s|the $DEMO_N above: $demo_rate/s|$(ratio "$4" "$demo_rate")|≥ 50,000 jobs/s"

  # --- isolated no-op jobs, 2 slots: default max_jobs vs no recycling -------------------------
  iso() { # dir, extra toml
    conf "$1" "$work/bench-plugins" "max_workers = 2
idle_time = \"10ms\"
[types.noop]
isolation = \"process\"
$2" "[plugins.demo]
enabled = false
[plugins.bench]
count = $ISO_N
type = \"noop\""
    jobhost run --exit-when-idle --config "$1/jobhost.toml" >"$1/out" 2>&1
    sed -n 's/.*warm_jobs_per_s=\([0-9]*\).*/\1/p' "$1/out" | tail -1
  }
  iso_default=$(iso "$work/iso-$v" "")
  iso_warm=$(iso "$work/iso-warm-$v" "[workers]
max_jobs = 10000000")
  row "$ISO_N isolated no-op jobs, 2 slots, default max_jobs = 1000|$j|$iso_default jobs/s|no recycling: $iso_warm jobs/s|$(ratio "$iso_default" "$iso_warm")|≥ 0.80"

  # --- a compute-bound in-process job under C1 only (as shipped) and full tiered --------------
  compute() { # dir, JAVA_OPTS (they come after the launcher's flags and win)
    conf "$1" "$work/bench-plugins" "max_workers = 1" "[plugins.demo]
enabled = false
[plugins.bench]
count = $COMPUTE_N
type = \"compute\""
    JAVA_OPTS=$2 jobhost run --exit-when-idle --config "$1/jobhost.toml" >"$1/out" 2>&1
    sed -n 's/.*BENCH compute job=[^ ]* ms=[0-9]* cpu_ms=\([0-9]*\).*/\1/p' "$1/out" | tr '\n' ' ' | sed 's/ $//'
  }
  c1=$(compute "$work/c1-$v" "-XX:TieredStopAtLevel=1")
  c2=$(compute "$work/c2-$v" "")
  c1_last=${c1##* }
  c2_last=${c2##* }
  row "compute job (fixed work) in the daemon, CPU ms per job in order|$j|full tiered (as shipped for run): $c2|C1 only: $c1|C1 $(ratio "$c1_last" "$c2_last")× slower (last job)|choose per process kind"
done

# --- once: package size; PostgreSQL -----------------------------------------------------------
deb=$(ls "$repo"/dist/target/*.deb 2>/dev/null | head -1 || true)
sizes=$(cd "$TREE/plugins" && for f in *.jar; do printf '%s %s MB, ' "$f" "$(awk -v b="$(stat -c %s "$f")" 'BEGIN {printf "%.1f", b / 1048576}')"; done)
row "package size|—|.deb $([ -n "$deb" ] && awk -v b="$(stat -c %s "$deb")" 'BEGIN {printf "%.1f MB", b / 1048576}' || echo "not built"); ${sizes%, }|—|—|one copy of each library"

if [ "${CLUSTER:-0}" = 1 ] && [ -f "$here/cluster/target/classpath.txt" ]; then
  # The PostgreSQL row, per JDK: the hosts (bin/jobhost), db-scheduler's JVMs and the driver all on
  # that JDK; one embedded PostgreSQL per run.
  : >"$work/cluster.txt"
  for jdk in $JDKS; do
    [ -x "$jdk/bin/java" ] || continue
    v=$(java_version "$jdk")
    (cd "$here/cluster" && JAVA_HOME=$jdk "$jdk/bin/java" -cp "target/classes:$(cat target/classpath.txt)" \
      org.jobhost.bench.cluster.ClusterBench "$TREE" "$PG_N" 8 1,2,4 500 500) >"$work/cluster-$v.txt" 2>&1 || true
    sed 's/^/    /' "$work/cluster-$v.txt" >&2
    { echo "JDK $v:"; grep -E '^(jobhost|db-scheduler) ' "$work/cluster-$v.txt" | tail -6; } >>"$work/cluster.txt"
    ratios=$(sed -n 's/^hosts=\([0-9]*\): jobhost \/ db-scheduler = \(.*\)x$/\1: \2×/p' "$work/cluster-$v.txt" | paste -sd, - | sed 's/,/, /g')
    row "hosts on PostgreSQL vs db-scheduler, $PG_N backlog, 8 threads|JDK $v|${ratios:-the run failed (see the log)} (hosts: ratio)|db-scheduler lock-and-fetch, same PG|—|≥ 1.5× at 1, 2 and 4 hosts"
  done
else
  row "hosts on PostgreSQL vs db-scheduler|—|not in this run (CLUSTER=1, or bench/cluster: about 4 min a JDK)|db-scheduler lock-and-fetch, same PG|—|≥ 1.5× at 1, 2 and 4 hosts"
fi

load_after=$(cut -d' ' -f1 /proc/loadavg)
{
  echo "Taken $(date -u +'%Y-%m-%d %H:%M UTC') by \`$(basename "$0")\`$([ "$QUICK" = 1 ] && echo " with QUICK=1 (smoke check: fewer jobs, one run)"), $(nproc) cores, load average $load_before at the start and $load_after at the end."
  echo
  echo "| what | JDK | now | floor / peer in the same run | ratio | goal |"
  echo "|---|---|---|---|---|---|"
  cat "$rows"
  if [ -f "$work/cluster.txt" ]; then
    echo
    echo '```'
    cat "$work/cluster.txt"
    echo '```'
  fi
} >"$work/table.md"
cat "$work/table.md"

if [ "${NO_README:-0}" != 1 ]; then
  readme=$here/README.md
  python3 - "$readme" "$work/table.md" <<'PY'
import sys
readme, table = sys.argv[1], open(sys.argv[2]).read()
text = open(readme).read()
begin, end = "<!-- run-all:begin -->", "<!-- run-all:end -->"
if begin in text and end in text:
    head, rest = text.split(begin, 1)
    tail = rest.split(end, 1)[1]
    text = head + begin + "\n" + table + end + tail
else:
    text = text.rstrip("\n") + "\n\n" + begin + "\n" + table + end + "\n"
open(readme, "w").write(text)
PY
  echo "table written into $readme" >&2
fi
