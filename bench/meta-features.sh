#!/usr/bin/env bash
# Population meta-features (stacking paper Eq. 1-3) against ../shared/peers/knn_lethality.py, same data, same run.
# Usage: ./covid-risk bench meta-features [--all-rows] [--skip-peer]
# --skip-peer: only ours (the peer is O(n^2) on --all-rows and took > 18 min on 2 cores without finishing).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=../shared/data/mexico-dge-2020/datos_abiertos_20200527.zip
if [ ! -f "$DATA" ]; then echo "skipped: $DATA is absent (the benchmark needs ../shared/data)"; exit 0; fi
if ! /usr/bin/python3 -c 'import sklearn, pandas' 2>/dev/null; then
  echo "[bench] installing the peer's Python packages (Debian python3-sklearn python3-pandas)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-sklearn python3-pandas >/dev/null
fi
OUT=feature-service/target/bench
mkdir -p "$OUT"
./mvnw -B -q -pl feature-service -am install -DskipTests -Dformatter.skip -Dimpsort.skip
./mvnw -B -q -pl feature-service dependency:build-classpath -Dmdep.outputFile=target/bench/classpath.txt \
  -Dmdep.includeScope=test
PEER_ARGS=("$DATA" --out "$OUT/peer.csv")
JAVA_ARGS=()
SKIP_PEER=false
for a in "$@"; do
  case "$a" in
    --all-rows) PEER_ARGS+=(--all-rows); JAVA_ARGS+=(--all-rows) ;;
    --skip-peer) SKIP_PEER=true ;;
    *) echo "unknown option $a" >&2; exit 2 ;;
  esac
done
rm -f "$OUT/peer.csv"
if $SKIP_PEER; then
  echo "[bench] peer skipped (--skip-peer): no ratio"
  PEER_KNN=NaN
else
  echo "[bench] peer: knn_lethality.py (scikit-learn brute-force cosine, n_jobs=2)"
  PEER_LOG=$(/usr/bin/python3 ../shared/peers/knn_lethality.py "${PEER_ARGS[@]}")
  echo "$PEER_LOG"
  PEER_KNN=$(echo "$PEER_LOG" | sed -n 's/.*knn_time=\([0-9.]*\)s.*/\1/p')
fi
echo "[bench] ours: feature-service population meta-features"
"$JAVA_HOME/bin/java" -Xmx6g -cp "feature-service/target/test-classes:feature-service/target/classes:$(cat "$OUT/classpath.txt")" \
  org.covidrisk.feature.population.MetaFeatureBenchmark "$DATA" "$OUT/peer.csv" "$PEER_KNN" "${JAVA_ARGS[@]}"
