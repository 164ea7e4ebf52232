#!/bin/sh
# Times 'jobhost start' (until READY) and 'jobhost stop' (until the process is gone) on an idle
# daemon, RUNS times each, and prints the medians in milliseconds for every JDK given.
#
#   bench/service/start-stop.sh [JAVA_HOME ...]     (default: the java on the PATH)
#   RUNS=10 TREE=dist/target/jobhost bench/service/start-stop.sh /usr/lib/jvm/temurin-25-jdk-amd64
#
# Build the tree first: mvn -B -q -o package -DskipTests -Dspotless.check.skip=true
set -eu

RUNS=${RUNS:-10}
here=$(cd "$(dirname "$0")" && pwd -P)
TREE=${TREE:-$here/../../dist/target/jobhost}
[ -x "$TREE/bin/jobhost" ] || { echo "no $TREE/bin/jobhost; build the tree first" >&2; exit 1; }

work=$(mktemp -d /tmp/jobhost-bench.XXXXXX)
trap '"$TREE/bin/jobhost" stop -c "$work/jobhost.toml" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
cat >"$work/jobhost.toml" <<CONF
plugins_dir = "$TREE/plugins"
log_dir = "$work/logs"
state_dir = "$work/var"
run_dir = "$work/run"
pid_file = "$work/run/jobhost.pid"
allow_root = true
[plugins.demo]
enabled = false
CONF

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

bench() {
  label=$1
  : >"$work/start.txt"
  : >"$work/stop.txt"
  i=0
  while [ "$i" -lt "$RUNS" ]; do
    t0=$(now_ms)
    "$TREE/bin/jobhost" start -c "$work/jobhost.toml" >/dev/null
    t1=$(now_ms)
    "$TREE/bin/jobhost" stop -c "$work/jobhost.toml" >/dev/null
    t2=$(now_ms)
    echo $((t1 - t0)) >>"$work/start.txt"
    echo $((t2 - t1)) >>"$work/stop.txt"
    i=$((i + 1))
  done
  printf '%-40s start->READY median %5s ms   stop median %5s ms   (%s runs)\n' \
    "$label" "$(median <"$work/start.txt")" "$(median <"$work/stop.txt")" "$RUNS"
}

if [ "$#" -eq 0 ]; then
  bench "$(java -version 2>&1 | head -n 1)"
else
  for jh in "$@"; do
    JAVA_HOME=$jh
    export JAVA_HOME
    bench "$("$jh/bin/java" -version 2>&1 | head -n 1)"
  done
fi
