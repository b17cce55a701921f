#!/usr/bin/env bash
# Stacking against ../shared/peers/stacking.py (scikit-learn), same rows, same outer folds, same run.
# Usage: ./covid-risk bench stacking [--dataset tongji|mexico|both] [--folds 10] [--skip-peer] [--peer-timeout S]
#   --dataset       tongji (default; 375 patients of Yan et al. 2020), mexico (the 28,248 hospitalised confirmed
#                   positives of the DGE 2020-05-27 cut), or both
#   --folds         outer folds of both stacks (the peer's --folds; each stack's inner CV uses as many)
#   --skip-peer     ours only (no ratio)
#   --peer-timeout  seconds the peer may run per dataset (default 14400); past it the peer is stopped and the
#                   report says so, with whatever base-learner lines it printed
# The peer runs first, then ours, never both at once. OMP_WAIT_POLICY=PASSIVE for both (LightGBM's and
# scikit-learn's OpenMP threads spin otherwise, which is very slow on a loaded machine).
set -euo pipefail
cd "$(dirname "$0")/.."
MEXICO=../shared/data/mexico-dge-2020/datos_abiertos_20200527.zip
TONGJI=../shared/data/tongji/time_series_375_prerpocess_en.csv
DATASET=tongji
FOLDS=10
SKIP_PEER=false
PEER_TIMEOUT=14400
while [ $# -gt 0 ]; do
  case "$1" in
    --dataset) DATASET="$2"; shift 2 ;;
    --folds) FOLDS="$2"; shift 2 ;;
    --skip-peer) SKIP_PEER=true; shift ;;
    --peer-timeout) PEER_TIMEOUT="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
case "$DATASET" in
  tongji) SETS=(tongji) ;;
  mexico) SETS=(mexico) ;;
  both) SETS=(tongji mexico) ;;
  *) echo "--dataset must be tongji, mexico or both" >&2; exit 2 ;;
esac
export OMP_WAIT_POLICY=PASSIVE
export DNNL_MAX_CPU_ISA="${DNNL_MAX_CPU_ISA:-AVX2}"
if ! /usr/bin/python3 -c 'import sklearn, pandas' 2>/dev/null; then
  echo "[bench] installing the peer's Python packages (Debian python3-sklearn python3-pandas)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-sklearn python3-pandas >/dev/null
fi
OUT=cli/target/bench
mkdir -p "$OUT"
# this tree's modules from the reactor (not ~/.m2); the Quarkus applications themselves are not needed
./mvnw -B -q -pl cli -am package dependency:build-classpath -DskipTests -Dformatter.skip -Dimpsort.skip \
  -Dquarkus.build.skip=true -Dmdep.outputFile=target/bench/classpath.txt
for set in "${SETS[@]}"; do
  if [ "$set" = mexico ]; then DATA=$MEXICO; else DATA=$TONGJI; fi
  if [ ! -f "$DATA" ]; then echo "skipped $set: $DATA is absent (the benchmark needs ../shared/data)"; continue; fi
  echo "[bench] $set: the peer's $FOLDS folds (bench/stacking_folds.py, the peer's own loader and StratifiedKFold)"
  /usr/bin/python3 bench/stacking_folds.py "$set" "$DATA" "$OUT/folds-$set.csv" --folds "$FOLDS"
  PEER_LOG="$OUT/peer-$set.log"
  rm -f "$PEER_LOG"
  NOTE=""
  if $SKIP_PEER; then
    NOTE="peer skipped (--skip-peer)"
    echo "[bench] $NOTE"
  else
    echo "[bench] peer: stacking.py $set --folds $FOLDS (scikit-learn), at most $PEER_TIMEOUT s"
    timeout "$PEER_TIMEOUT" /usr/bin/python3 -u ../shared/peers/stacking.py "$set" "$DATA" --folds "$FOLDS" 2>&1 \
      | grep --line-buffered -v -i warning | tee "$PEER_LOG" || true
    if ! grep -q '^total_wall=' "$PEER_LOG"; then NOTE="peer did not finish in $PEER_TIMEOUT s"; echo "[bench] $NOTE"; fi
  fi
  echo "[bench] ours: ensemble-service StackingLearner on the same folds"
  "$JAVA_HOME/bin/java" -Xmx6g --enable-native-access=ALL-UNNAMED -Dai.djl.offline=true \
    -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
    -cp "cli/target/classes:$(cat "$OUT/classpath.txt")" org.covidrisk.cli.bench.StackingBench \
    --dataset "$set" --data "$DATA" --folds-file "$OUT/folds-$set.csv" --peer-log "$PEER_LOG" --peer-note "$NOTE" \
    | tee "$OUT/stacking-$set.txt"
done
