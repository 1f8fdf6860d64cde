#!/usr/bin/env bash
# Ours against PySAL spopt (PyPI, PuLP's bundled CBC) and against HiGHS's
# MILP solver on the sparse model (SciPy from PyPI) on the same seeded MCLP
# instances, in the same run: objectives, bounds and times side by side.
#
#   bash benches/peers/run.sh                 # 1,000, 5,000 and 20,000 candidates
#   bash benches/peers/run.sh 1000            # only some sizes
#   PEER_TIME_LIMIT=600 bash benches/peers/run.sh
#
# Installs spopt from PyPI into benches/peers/.venv (not committed), builds
# `siting` in release, writes the instances with `siting mclp-instance` into
# target/mclp-peers/, runs `siting mclp` (default budget, no time limit),
# then spopt and HiGHS (each killed after PEER_TIME_LIMIT seconds, 600 by
# default, model building included), one after the other so that none slows
# another down.
set -euo pipefail
cd "$(dirname "$0")/../.."
LIMIT="${PEER_TIME_LIMIT:-600}"
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 5000 20000)
VENV=benches/peers/.venv
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import spopt" 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "spopt==0.7.0"
fi
bash scripts/setup.sh
cargo build --release --quiet --bin siting
BIN=target/release/siting
WORK=target/mclp-peers
mkdir -p "$WORK"
declare -A DEMAND=([1000]=10000 [5000]=50000 [20000]=200000)
declare -A P=([1000]=50 [5000]=200 [20000]=1000)
rows=()
for n in "${SIZES[@]}"; do
  m=${DEMAND[$n]}; p=${P[$n]}; dir="$WORK/$n"
  "$BIN" -q mclp-instance --candidates "$n" --demand "$m" --seed 2024 --out "$dir" >/dev/null
  "$BIN" -q mclp --candidates "$dir/candidates.geojson" --demand "$dir/demand.geojson" \
    --radius-m 1000 --p "$p" --out "$dir/ours" >/dev/null
  set +e
  peer=$(timeout --signal=KILL "$((${LIMIT%.*} + 5))" "$VENV/bin/python" benches/peers/spopt_mclp.py "$dir" \
    --radius-m 1000 --p "$p" --time-limit "$LIMIT")
  rc=$?
  set -e
  if [ $rc -ne 0 ] || [ -z "$peer" ]; then
    peer="{\"status\": \"no answer in $LIMIT s (killed)\", \"objective\": null, \"seconds\": null}"
  fi
  echo "$peer" > "$dir/spopt.json"
  set +e
  highs=$(timeout --signal=KILL "$((${LIMIT%.*} + 60))" "$VENV/bin/python" benches/peers/highs_mclp.py "$dir" \
    --radius-m 1000 --p "$p" --time-limit "$LIMIT")
  rc=$?
  set -e
  if [ $rc -ne 0 ] || [ -z "$highs" ]; then
    highs="{\"status\": \"no answer in $LIMIT s (killed)\", \"objective\": null, \"bound\": null, \"seconds\": null}"
  fi
  echo "$highs" > "$dir/highs.json"
  rows+=("$(python3 - "$dir" "$n" "$m" "$p" <<'PY'
import json, sys
d, n, m, p = sys.argv[1:]
r = json.load(open(f"{d}/ours/result.json")); s = json.load(open(f"{d}/spopt.json")); h = json.load(open(f"{d}/highs.json"))
g = r["greedy_objective"]
so = s["objective"]; ss = s["seconds"]
print(f"{n}x{m} p={p} | greedy {g} | ours {r['objective']} ({r['objective']/g:.4f}x greedy) bound {r['upper_bound']} gap {100*r['gap']:.2f}% {r['seconds']:.1f} s"
      f" | spopt {so if so is not None else '-'} {str(ss)+' s' if ss is not None else ''} ({s['status']})"
      + (f" | ours/spopt objective {r['objective']/so:.4f}, time {r['seconds']/ss:.4f}" if so and ss else "")
      + f" | HiGHS {h['objective'] if h['objective'] is not None else '-'} bound {h['bound'] if h['bound'] is not None else '-'}"
      + (f" {h['seconds']} s" if h['seconds'] is not None else "") + f" ({h['status']})"
      + (f" | ours/HiGHS objective {r['objective']/h['objective']:.4f}, time {r['seconds']/h['seconds']:.4f}" if h['objective'] and h['seconds'] else ""))
PY
)")
  echo "${rows[-1]}"
done
