#!/bin/sh
# The compose stack's demo, as `./moelora up` runs it: submit the demo job, stream its training data
# once (a marker in the data volume keeps a restarted stack from pushing it again), then follow the
# job. Settings: KAFKA_BOOTSTRAP_SERVERS, MOELORA_DEMO_EXAMPLES (per task, default 3000).
set -eu
cli=${MOELORA_CLI:-/deployments/run-java.sh}
job=${MOELORA_DEMO_JOB:-/opt/moelora/demo/demo-job.json}
marker=${MOELORA_DEMO_MARKER:-/var/lib/moelora/demo-data-pushed}
bootstrap=${KAFKA_BOOTSTRAP_SERVERS:?set KAFKA_BOOTSTRAP_SERVERS}

$cli submit --bootstrap "$bootstrap" --file "$job"
if [ ! -f "$marker" ]; then
  $cli push --bootstrap "$bootstrap" --job demo --synthetic synthetic-choice,synthetic-addsub \
    --count "${MOELORA_DEMO_EXAMPLES:-3000}"
  touch "$marker"
fi
echo "demo: job 'demo' (MoELoRA, 4 experts) is training; dashboard on port 8080 of the gateway"
[ "${MOELORA_DEMO_FOLLOW:-true}" = true ] || exit 0
exec $cli watch --bootstrap "$bootstrap" --job demo
