#!/usr/bin/env bash
# The four PLOS clinical-stage models against ../shared/peers/mexico_stages.py, same data, same split, same run
# (the paper's Table 3 on the peer's own split). The peer runs unchanged through bench/stages_peer.py, which
# records the balanced 70/30 split it draws (random_state 7); our learners then train on exactly its training
# rows and are scored on its test rows, and the table prints ours, the peer's and the paper's accuracy.
# Usage: ./covid-risk bench stages [--seed 7] [--all-models]
# --all-models: also the minibatch-Adam stage network and kNN with every column standardised (slower)
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=../shared/data/mexico-dge-2020/datos_abiertos_20200527.zip
SEED=7
ALL=
while [ $# -gt 0 ]; do
  case "$1" in
    --seed) SEED="$2"; shift 2 ;;
    --all-models) ALL=--all-models; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if [ ! -f "$DATA" ]; then echo "skipped: $DATA is absent (the benchmark needs ../shared/data)"; exit 0; fi
if ! /usr/bin/python3 -c 'import sklearn, pandas' 2>/dev/null; then
  echo "[bench] installing the peer's Python packages (Debian python3-sklearn python3-pandas)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-sklearn python3-pandas >/dev/null
fi
OUT=cli/target/bench-stages
mkdir -p "$OUT"
# one reactor build, no install: the suite's own modules resolve to this tree's jars, not to whatever another
# checkout last installed into ~/.m2; the last module (cli) leaves its classpath in the file
./mvnw -B -q -pl cli -am package dependency:build-classpath -DskipTests -Dformatter.skip -Dimpsort.skip \
  -Dmdep.outputFile="$PWD/$OUT/classpath.txt"
rm -f "$OUT/split.csv" "$OUT/peer.txt"
echo "[bench] peer: mexico_stages.py (scikit-learn; NN(2 sigmoid), LR, kNN(15)) on $DATA"
start=$(date +%s)
/usr/bin/python3 bench/stages_peer.py "$OUT/split.csv" ../shared/peers/mexico_stages.py "$DATA" | tee "$OUT/peer.txt"
echo "[bench] peer wall time $(( $(date +%s) - start )) s"
echo "[bench] ours: ingest reader + feature-service featuriser + ensemble-service learners, on the peer's split"
start=$(date +%s)
"$JAVA_HOME/bin/java" -Xmx6g --enable-native-access=ALL-UNNAMED -Dai.djl.offline=true \
  -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "cli/target/classes:$(cat "$OUT/classpath.txt")" \
  org.covidrisk.cli.bench.StageBenchmark "$DATA" "$OUT/split.csv" "$OUT/peer.txt" "$SEED" $ALL
echo "[bench] ours wall time $(( $(date +%s) - start )) s"
