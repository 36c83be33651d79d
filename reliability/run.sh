#!/usr/bin/env bash
# Runs the reliability suite against the packaged services and records its figures in
# reliability/RESULTS.md (with the machine line).
#   reliability/run.sh          the suite as the build runs it (3-minute memory soak)
#   reliability/run.sh soak     the same with the 20-minute memory soak
#   reliability/run.sh -Dtest=TrainerCrashIT   any extra Maven arguments are passed on
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=3
if [ "${1:-}" = soak ]; then
  minutes=20
  shift
fi
# Builds and packages the modules the suite needs, running only the suite's tests (a later -Dtest wins).
mvn -B -ntp verify -pl reliability -am -Dtest='io.moelora.reliability.*IT' -Dsurefire.failIfNoSpecifiedTests=false \
  -Dreliability.soak.minutes="$minutes" "$@"
cp reliability/target/reliability/RESULTS.md reliability/RESULTS.md
echo "figures recorded in reliability/RESULTS.md"
