#!/usr/bin/env bash
# imaging-service's serving path with and without dynamic batching: the served CNN (folded), predictor threads
# behind the MicroBatcher, N clients each waiting for its answer; max-batch 1 (a forward pass per request)
# against max-batch 16 (requests that wait together share one forward pass), alternating, same run.
# Usage: ./covid-risk bench imaging-batching [--seconds 10] [--clients 16] [--workers 2]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER=10
CLIENTS=16
WORKERS=2
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) SECONDS_PER="$2"; shift 2 ;;
    --clients) CLIENTS="$2"; shift 2 ;;
    --workers) WORKERS="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
OUT=imaging-service/target/bench
mkdir -p "$OUT"
./mvnw -B -q -pl imaging-service -am install -DskipTests -Dformatter.skip -Dimpsort.skip
./mvnw -B -q -pl imaging-service dependency:build-classpath -Dmdep.outputFile=target/bench/classpath.txt \
  -Dmdep.includeScope=test
CP="imaging-service/target/test-classes:imaging-service/target/classes:$(cat "$OUT/classpath.txt")"
export OPT_OUT_TRACKING=true
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 \
  -Dai.djl.pytorch.num_interop_threads=1 -cp "$CP" org.covidrisk.imaging.bench.BatchingBenchmark \
  "$SECONDS_PER" "$CLIENTS" "$WORKERS" 2>&1 | grep -v '^SLF4J\|Warning: AutoNonVariableTypeMode'
