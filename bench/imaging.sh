#!/usr/bin/env bash
# X-ray CNN inference: ours (DJL, PyTorch engine) against ../shared/peers/cnn_infer.py (PyTorch eager,
# torchvision resnet18 with one grey channel), same architecture and same weights, same run; plus the training
# time of the served model on the shared X-rays. "ours" is the serving path (batch norm folded into the
# convolutions, outputs checked equal to the peer's); the unfolded DJL network is printed too.
# Usage: ./covid-risk bench imaging [--seconds 10] [--threads 2] [--rounds 3] [--skip-training] [--skip-peer]
# Rounds alternate ours and the peer (ours, peer, ours, peer, ...) and the ratio printed last is the median of the
# rounds' ratios: on a small machine a single pair moves by +-5-10 % from one run to the next.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=../shared/data/chestxray
OUT=imaging-model/target/bench
SECONDS_PER=10
THREADS=2
SKIP_TRAINING=
SKIP_PEER=false
ROUNDS=3
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) SECONDS_PER="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --skip-training) SKIP_TRAINING=--skip-training; shift ;;
    --skip-peer) SKIP_PEER=true; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$OUT"
if [ ! -f "$DATA/metadata.csv" ]; then
  echo "[bench] $DATA is absent: training time and weights come from a synthetic X-ray set instead"
  DATA="$OUT/synthetic"
  rm -rf "$DATA"
  NEED_SYNTH=true
fi
if ! $SKIP_PEER && ! /usr/bin/python3 -c 'import torch, torchvision, numpy' 2>/dev/null; then
  echo "[bench] installing the peer's Python packages (Debian python3-torch python3-torchvision)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch python3-torchvision >/dev/null
fi
./mvnw -B -q -pl imaging-model -am install -DskipTests -Dformatter.skip -Dimpsort.skip
./mvnw -B -q -pl imaging-model dependency:build-classpath -Dmdep.outputFile=target/bench/classpath.txt \
  -Dmdep.includeScope=test
CP="imaging-model/target/test-classes:imaging-model/target/classes:$(cat "$OUT/classpath.txt")"
JAVA=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dai.djl.offline=true
  -Dai.djl.pytorch.num_threads="$THREADS" -Dai.djl.pytorch.num_interop_threads=1)
export OPT_OUT_TRACKING=true
if [ "${NEED_SYNTH:-false}" = true ]; then
  "${JAVA[@]}" -cp "$CP" org.covidrisk.imaging.model.SyntheticXrays "$DATA" 200 256 42
fi
# One run of ours: training (first round only, unless --skip-training), the resnet18 weights exported, throughput.
run_ours() {
  "${JAVA[@]}" -cp "$CP" org.covidrisk.imaging.model.ImagingBenchmark "$DATA" "$OUT" "$SECONDS_PER" "$THREADS" "$1" \
    2>&1 | grep -v '^SLF4J\|Warning: AutoNonVariableTypeMode'
}
echo "[bench] ours: DJL $(sed -n 's/.*<djl.version>\(.*\)<.*/\1/p' pom.xml) on PyTorch, threads=$THREADS, round 1 of $ROUNDS"
OURS=$(run_ours "$SKIP_TRAINING")
echo "$OURS"
if $SKIP_PEER; then echo "[bench] peer skipped (--skip-peer): no ratio"; exit 0; fi

# DJL's weights (NumPy .npz, torchvision names) into a state dict; the same network must give the same outputs.
/usr/bin/python3 - "$OUT" <<'PY'
import sys, numpy as np, torch, torchvision
out = sys.argv[1]
w = np.load(f"{out}/resnet18-weights.npz")
state = {k: torch.from_numpy(w[k].copy()) for k in w.files}
for k in [k for k in state if k.endswith("running_var")]:
    state[k[:-len("running_var")] + "num_batches_tracked"] = torch.tensor(0)
net = torchvision.models.resnet18(num_classes=2)
net.conv1 = torch.nn.Conv2d(1, 64, 7, 2, 3, bias=False)
net.load_state_dict(state)
torch.save(net.state_dict(), f"{out}/resnet18-state.pt")
net.eval()
for ref_file, what in (("reference.npz", "DJL"), ("reference-folded.npz", "DJL with batch norm folded")):
    ref = np.load(f"{out}/{ref_file}")
    with torch.no_grad():
        p = torch.softmax(net(torch.from_numpy(ref["input"])), 1).numpy()
    diff = float(np.abs(p - ref["probabilities"]).max())
    print(f"[bench] same weights: PyTorch vs {what}, probabilities on 4 reference images, max abs difference {diff:.2e}")
    if diff > 1e-4:
        sys.exit("[bench] the exported network does not match: no fair comparison")
PY
echo "[bench] peer: cnn_infer.py (PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)') eager, torchvision resnet18)"
# Debian's PyTorch calls the system BLAS (OpenBLAS, pthreads build), which starts its own threads inside PyTorch's
# OpenMP ones: with --threads 2 they spin against each other and the peer falls from ~130 to ~40 images/s at
# batch 1. One BLAS thread (PyTorch parallelises around it) is the peer at its best; set it yourself to override.
run_peer() {
  OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}" /usr/bin/python3 ../shared/peers/cnn_infer.py --size 64 --batches 1,16 --seconds "$SECONDS_PER" \
    --threads "$THREADS" --weights "$OUT/resnet18-state.pt"
}
rate() { # rate OUTPUT_OF_ONE_SIDE PREFIX BATCH
  echo "$1" | sed -n "s/^$2arch=resnet18 .* batch=$3 .*images_per_s=\([0-9.]*\).*/\1/p"
}
RATIOS=()
for r in $(seq 1 "$ROUNDS"); do
  if [ "$r" -gt 1 ]; then
    echo "[bench] ours, round $r of $ROUNDS"
    OURS=$(run_ours --skip-training)
    echo "$OURS" | grep '^ours arch=resnet18 '
  fi
  echo "[bench] peer, round $r of $ROUNDS"
  PEER=$(run_peer)
  echo "$PEER"
  for b in 1 16; do
    o=$(rate "$OURS" "ours " "$b")
    p=$(rate "$PEER" "" "$b")
    ratio=$(awk -v o="$o" -v p="$p" 'BEGIN { printf "%.3f", o / p }')
    RATIOS+=("$b $ratio")
    echo "[bench] round $r resnet18 64x64 batch=$b: ours $o images/s, peer $p images/s, ratio ${ratio}x"
  done
done
for b in 1 16; do
  printf '%s\n' "${RATIOS[@]}" | awk -v b="$b" '$1 == b { print $2 }' | sort -n | awk -v b="$b" -v n="$ROUNDS" '
    { v[NR] = $1 } END {
      m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
      printf "[bench] resnet18 64x64 batch=%s: median ratio over %d rounds %.2fx (rounds: min %.2fx, max %.2fx)\n", b, n, m, v[1], v[NR]
    }'
done
