#!/usr/bin/env bash
# stage.sh NAME CMD...: runs one stage of `make test`, prints and records how long it took.
# `stage.sh --summary` prints the table of the current run.
set -uo pipefail
cd "$(dirname "$0")/.."
times=target/stage-times.txt
mkdir -p target
if [ "${1:-}" = --summary ]; then
  echo "== make test: stage timings"
  cat "$times"
  exit 0
fi
if [ "${1:-}" = --reset ]; then
  : > "$times"
  exit 0
fi
name=$1; shift
echo "== [$name] $*"
start=$(date +%s)
"$@"
rc=$?
secs=$(( $(date +%s) - start ))
if [ $rc -eq 0 ]; then status=ok; else status="FAILED (exit $rc)"; fi
printf '%-10s %5ss  %s\n' "$name" "$secs" "$status" | tee -a "$times"
# The disk after each stage: a build that fails for want of space then says so in the log.
echo "== [$name] disk: $(df -h . | awk 'NR==2 {print $4 " free of " $2}'), target $(du -sh target 2>/dev/null | cut -f1)"
exit $rc
