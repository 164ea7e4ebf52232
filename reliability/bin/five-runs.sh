#!/usr/bin/env bash
# Runs .ci/run on five fresh clones of one commit, one after another, with a CPU-bound busy loop
# beside them the whole time, and stops at the first failure. This is the condition a change to
# the test suite's reliability must meet (reliability/README.md, "Five runs in a row").
#
#   reliability/bin/five-runs.sh [COMMIT] [WORK_DIR]
#
# COMMIT defaults to HEAD of this checkout; WORK_DIR (default /tmp/five-runs) receives the clones,
# one log per run and results.txt. Run it alone on the machine: the package tests install into the
# system's one dpkg database, so a second build beside it fails them. Exit status: 0 when all five
# passed, 1 at the first failed run, 2 on bad usage.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
commit=$(git -C "$repo" rev-parse --verify --quiet "${1:-HEAD}^{commit}") || {
  echo "five-runs: ${1:-HEAD} is not a commit of $repo" >&2
  exit 2
}
work=${2:-/tmp/five-runs}
mkdir -p "$work"
results=$work/results.txt

bash -c 'while :; do :; done' &
hog=$!
trap 'kill "$hog" 2>/dev/null || true' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "series on ${commit:0:7} started $(date -u +%FT%TZ), busy loop pid $hog" >>"$results"
for i in 1 2 3 4 5; do
  clone=$work/run$i
  rm -rf "$clone"
  git clone -q "$repo" "$clone"
  git -C "$clone" checkout -q "$commit"
  start=$(date +%s)
  status=0
  # Every signal back to its default: a series started with nohup, or in the background of a
  # script, would otherwise pass HUP (and INT) on as ignored to every daemon the tests start.
  (cd "$clone" && env --default-signal .ci/run) >"$work/run$i.log" 2>&1 || status=$?
  took=$(($(date +%s) - start))
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  echo "run $i: exit $status after $((took / 60)) min $((took % 60)) s, load $load" >>"$results"
  if [ "$status" -ne 0 ]; then
    echo "series stopped at run $i; see $work/run$i.log" >>"$results"
    cat "$results"
    exit 1
  fi
done
echo "series passed $(date -u +%FT%TZ)" >>"$results"
cat "$results"
