#!/usr/bin/env bash
# Whole-process benchmarks of the assembled host (build it first: mvn -B -q package -DskipTests).
#   1. start to exit with zero jobs (run --exit-when-idle), and the peak RSS of that run;
#   2. start to ready (the "ready" log line), and the RSS of the idle daemon 2 s later;
#   3. 200 jobs x 50 ms sleep on 4 slots: drain time (ready -> exit) against the ideal 2.5 s.
# Each figure is the median of RUNS runs (default 7), for every JDK given in JDKS.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tree=${TREE:-$here/../../dist/target/jobhost}
runs=${RUNS:-7}
jdks=${JDKS:-"/usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-25-jdk-amd64"}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

conf() { # $1: extra TOML
  cat > "$work/jobhost.toml" <<TOML
plugins_dir = "$tree/plugins"
log_dir = "$work/logs"
state_dir = "$work/var"
run_dir = "$work/run"
$1
[plugins.cron]
enabled = false
[plugins.spool]
enabled = false
[plugins.queue]
enabled = false
TOML
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
now_ms() { date +%s%3N; }

for jdk in $jdks; do
  [ -x "$jdk/bin/java" ] || continue
  export JAVA_HOME=$jdk
  echo "== $("$jdk/bin/java" -version 2>&1 | head -1)"

  conf "[plugins.demo]
enabled = false"
  : > "$work/exit.txt"
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -a -o "$work/exit.txt" "$tree/bin/jobhost" run --exit-when-idle --config "$work/jobhost.toml" > /dev/null 2>&1
  done
  echo "start to exit, zero jobs:   $(awk '{print $1*1000}' "$work/exit.txt" | median) ms   peak RSS $(awk '{print $2/1024}' "$work/exit.txt" | median) MB"

  : > "$work/ready.txt"; : > "$work/rss.txt"
  for _ in $(seq "$runs"); do
    t0=$(now_ms)
    "$tree/bin/jobhost" run --config "$work/jobhost.toml" > "$work/out.log" 2>&1 &
    pid=$!
    until grep -q " ready: " "$work/out.log"; do sleep 0.005; done
    echo $(( $(now_ms) - t0 )) >> "$work/ready.txt"
    sleep 2
    awk '/VmRSS/ {print $2/1024}' "/proc/$pid/status" >> "$work/rss.txt"
    kill -TERM "$pid"; wait "$pid" || true
  done
  echo "start to ready:             $(median < "$work/ready.txt") ms   idle RSS $(median < "$work/rss.txt") MB"

  conf "max_workers = 4
[plugins.demo]
count = 200
rate = 0
work = \"50ms\""
  : > "$work/drain.txt"
  for _ in $(seq "$runs"); do
    "$tree/bin/jobhost" run --exit-when-idle --config "$work/jobhost.toml" > "$work/out.log" 2>&1 &
    pid=$!
    until grep -q " ready: " "$work/out.log"; do sleep 0.002; done
    t0=$(now_ms)
    wait "$pid"
    echo $(( $(now_ms) - t0 )) >> "$work/drain.txt"
  done
  echo "200 x 50 ms on 4 slots:     $(median < "$work/drain.txt") ms drain (ideal 2500 ms)"
done
