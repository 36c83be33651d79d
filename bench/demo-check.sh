#!/usr/bin/env bash
# The embedded default, end to end, timed: a fresh state directory, `./moelora up --detach`, then
# wait until the demo job's accuracy on a built-in suite beats its step-0 (base model) score by
# GAIN points (default 5) within LIMIT seconds (default 600). Prints the timeline and the result,
# stops the stack, and exits non-zero when the gain did not come in time.
#   ./bench/demo-check.sh [GAIN] [LIMIT]
# Uses its own ports (MOELORA_*_PORT may override) so it can run beside a developer's stack.
set -euo pipefail
cd "$(dirname "$0")/.."
GAIN="${1:-5}"
LIMIT="${2:-600}"
export MOELORA_STATE_DIR="${MOELORA_STATE_DIR:-$(mktemp -d -t moelora-demo-XXXXXX)}"
export MOELORA_KAFKA_PORT="${MOELORA_KAFKA_PORT:-19092}"
export MOELORA_KAFKA_CONTROLLER_PORT="${MOELORA_KAFKA_CONTROLLER_PORT:-19093}"
export MOELORA_GATEWAY_PORT="${MOELORA_GATEWAY_PORT:-18080}"
export MOELORA_TRAINER_PORT="${MOELORA_TRAINER_PORT:-18081}"
export MOELORA_EVAL_PORT="${MOELORA_EVAL_PORT:-18082}"
trap './moelora down >/dev/null 2>&1 || true' EXIT
start=$SECONDS
echo "demo check: state in $MOELORA_STATE_DIR, gain >= $GAIN points within ${LIMIT}s of 'up'"
./moelora up --detach
echo "stack and demo job up after $((SECONDS - start)) s"
left=$((LIMIT - (SECONDS - start)))
[ "$left" -gt 0 ] || { echo "FAIL: start-up alone took more than ${LIMIT}s"; exit 1; }
if ./moelora watch --bootstrap "127.0.0.1:$MOELORA_KAFKA_PORT" --job demo --until-gain "$GAIN" --timeout "$left"; then
  echo "PASS: gain of $GAIN points reached $((SECONDS - start)) s after 'up' (limit ${LIMIT}s)"
else
  echo "FAIL: no gain of $GAIN points within ${LIMIT}s; logs in $MOELORA_STATE_DIR/logs"
  exit 1
fi
