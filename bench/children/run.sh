#!/bin/sh
# Child-process benchmarks (not run by the build). Usage, after `mvn -B -q -o package -DskipTests`:
#   bench/children/run.sh [java_home]
# 1. 200 x /bin/true, 4 slots, through the command runner vs `seq 200 | xargs -P4 -n1 /bin/true`
# 2. no-op jobs through 2 warm worker JVMs vs in-process (jobs/s)
# 3. cold worker JVM start (until READY and exit at end of input), with and without a CDS archive
set -eu
here=$(cd "$(dirname "$0")" && pwd -P)
repo=$(cd "$here/../.." && pwd -P)
tree=$repo/dist/target/jobhost
[ -n "${1:-}" ] && export JAVA_HOME=$1
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
javac=${JAVA_HOME:+$JAVA_HOME/bin/}javac
jar=${JAVA_HOME:+$JAVA_HOME/bin/}jar
work=$(mktemp -d /tmp/jobhost-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

# A copy of the tree whose log keeps only warnings (per-job INFO lines would dominate).
cp -r "$tree" "$work/tree"
sed -i 's|<root level="INFO">|<root level="WARN">|' "$work/tree/conf/logback.xml"
rm -f "$work/tree/plugins/demo.jar" "$work/tree/plugins/signal-stats.jar"

# The bench plugin: BenchSource + NoopRunner.
mkdir -p "$work/classes/META-INF/services"
"$javac" --release 17 -nowarn -cp "$tree/lib/*" -d "$work/classes" "$here"/src/org/jobhost/bench/children/*.java
echo org.jobhost.bench.children.BenchSource > "$work/classes/META-INF/services/org.jobhost.api.JobSource"
echo org.jobhost.bench.children.NoopRunner > "$work/classes/META-INF/services/org.jobhost.api.JobRunner"
printf 'Plugin-Id: bench\nPlugin-Version: 1.0.0\n' > "$work/manifest"
"$jar" cfm "$work/tree/plugins/bench.jar" "$work/manifest" -C "$work/classes" .

run() { # name, toml
  printf '%s\n' "$2" > "$work/$1.toml"
  "$work/tree/bin/jobhost" run --exit-when-idle --config "$work/$1.toml" 2>&1 | grep -o 'BENCH.*' || true
}
common="state_dir = \"$work/var\"
log_dir = \"$work/logs\"
idle_time = \"10ms\""

sections=" ${SECTIONS:-1 2 3} "
case $sections in *" 1 "*)
echo "== 1. 200 x /bin/true, 4 slots"
for i in 1 2 3 4 5; do
  run cmd "max_workers = 4
$common
[plugins.bench]
count = 200
type = \"command\"
param_key = \"argv\"
param_value = \"/bin/true\""
  s=$(date +%s%N); seq 200 | xargs -P4 -n1 /bin/true; e=$(date +%s%N)
  echo "xargs -P4 drain_ms=$(( (e - s) / 1000000 ))"
done
;; esac

case $sections in *" 2 "*)
for n in 20000 100000; do
  echo "== 2. $n no-op jobs, 2 slots"
  echo "(in-process, then isolated with the default max_jobs = 1000: a worker restart every ~1000 jobs)"
  run noop-thread "max_workers = 2
$common
[plugins.bench]
count = $n
type = \"noop\""
  run noop-process "max_workers = 2
$common
[types.noop]
isolation = \"process\"
[plugins.bench]
count = $n
type = \"noop\""
  echo "(isolated, max_jobs = 10000000: warm workers, no recycling)"
  run noop-process-warm "max_workers = 2
$common
[types.noop]
isolation = \"process\"
[workers]
max_jobs = 10000000
[plugins.bench]
count = $n
type = \"noop\""
done
;; esac

case $sections in *" 3 "*) ;; *) exit 0 ;; esac
echo "== 3. cold worker JVM start (ms, 10 runs each; until READY and exit at end of input)"
feature=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$(dirname "$(dirname "$(readlink -f "$(command -v "$java")")")")/release")
cp=$(ls "$work"/tree/lib/*.jar | tr '\n' ':')
flags="--enable-native-access=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -XX:+DisplayVMOutputToStderr -Xlog:disable -Xlog:all=warning:stderr"
[ "$feature" -ge 23 ] && flags="$flags --sun-misc-unsafe-memory-access=allow"
jsa=$work/bench.jsa
printf '%s\n' "$common" > "$work/w.toml"
start() { # extra flags
  s=$(date +%s%N)
  # shellcheck disable=SC2086
  "$java" $flags "$@" -Djobhost.home="$work/tree" -cp "$cp" org.jobhost.host.worker.WorkerMain --config "$work/w.toml" </dev/null >/dev/null 2>>"$work/cds.err"
  e=$(date +%s%N); echo $(( (e - s) / 1000000 ))
}
measure() { t=""; for i in 1 2 3 4 5 6 7 8 9 10; do t="$t $(start "$@")"; done; echo "$t" | tr ' ' '\n' | sed '/^$/d' | sort -n | awk '{a[NR]=$1} END {printf "median %d ms (min %d, max %d)\n", a[int((NR+1)/2)], a[1], a[NR]}'; }
echo "java $feature, no CDS archive (default JDK archive only): $(measure)"
echo "java $feature, -Xshare:off: $(measure -Xshare:off)"
if [ "$feature" -ge 19 ]; then
  start -XX:SharedArchiveFile="$jsa" -XX:+AutoCreateSharedArchive >/dev/null
  echo "java $feature, AppCDS (AutoCreateSharedArchive): $(measure -XX:SharedArchiveFile="$jsa" -XX:+AutoCreateSharedArchive)"
else
  start -XX:ArchiveClassesAtExit="$jsa" >/dev/null
  echo "java $feature, AppCDS (ArchiveClassesAtExit): $(measure -XX:SharedArchiveFile="$jsa")"
fi
