#!/usr/bin/env bash
# Scaling benchmark: time of each stage and peak memory of `siting plan`
# against instance size, and the exponent between the sizes measured.
#
#   benches/scaling.sh [FACTOR ...]        (default: 0.25 1)
#
# Factor f builds, with `siting synth`, an instance f times the embedded one:
# demand cells of 1000/√f m (fine cells a quarter of that), and f times the
# existing sites, indoor systems, greenfield towers and indoor candidates;
# f = 1 is the embedded data set. Each instance is planned once by the
# release binary (`--no-check`: `siting check` is a separate pass), with
# JSON logs for the stages' seconds and peak resident memory (sampled every
# 10 ms while each stage runs) and `/usr/bin/time -v` for the peak resident
# memory of the whole run. Prints one row per size and, between
# consecutive sizes, the exponent b of time ∝ size^b (size: demand items).
# Timings are wall clock on this machine as loaded at the time: compare the
# rows of one run, not runs on different days.
set -euo pipefail
cd "$(dirname "$0")/.."
factors=("$@")
[ ${#factors[@]} -eq 0 ] && factors=(0.25 1)
cargo build --release --quiet
bin=target/release/siting
work=${SITING_SCALING_DIR:-target/scaling}
mkdir -p "$work"
rows=()
for f in "${factors[@]}"; do
    dir="$work/f$f"
    read -r cell fine sites indoor towers cands < <(python3 - "$f" <<'EOF'
import math, sys
f = float(sys.argv[1])
cell = 1000 / math.sqrt(f)
fine = cell / 4
# --cell-m must be a whole multiple of --fine-cell-m: round both to metres.
fine = round(fine)
cell = fine * 4
print(cell, fine, round(27800 * f), round(2000 * f), round(20000 * f), round(1500 * f))
EOF
)
    if [ ! -f "$dir/demand.geojson" ]; then
        mkdir -p "$dir"
        "$bin" synth -q --out "$dir" --cell-m "$cell" --fine-cell-m "$fine" \
            --existing-sites "$sites" --existing-indoor "$indoor" \
            --greenfield-towers "$towers" --indoor-candidates "$cands"
        cp data/chongqing/plan.toml data/chongqing/districts.geojson \
            data/chongqing/townships.geojson data/chongqing/places.geojson \
            data/chongqing/dem_5arcmin.asc "$dir/"
        [ -d data/chongqing/liangjiang ] && cp -r data/chongqing/liangjiang "$dir/"
    fi
    rm -rf "$dir/out"
    /usr/bin/time -v "$bin" plan --config "$dir/plan.toml" --out "$dir/out" \
        --log-format json --no-check >"$dir/plan.log" 2>"$dir/plan.err"
    row=$(python3 - "$f" "$dir" <<'EOF'
import json, re, sys
f, d = sys.argv[1], sys.argv[2]
stages, stage_mem, rss, wall = {}, {}, None, None
for line in open(f"{d}/plan.err", encoding="utf-8", errors="replace"):
    line = line.strip()
    if line.startswith("{"):
        try:
            j = json.loads(line)
        except ValueError:
            continue
        fl = j.get("fields", {})
        if "stage" in fl and "seconds" in fl:
            stages[fl["stage"]] = fl["seconds"]
            if "peak_rss_mib" in fl:
                stage_mem[fl["stage"]] = round(fl["peak_rss_mib"], 1)
    elif line.startswith("Maximum resident set size"):
        rss = int(line.split(":")[1]) / 1024
    elif line.startswith("Elapsed (wall clock)"):
        t = line.split(": ")[1].split(":")
        wall = sum(float(x) * 60 ** i for i, x in enumerate(reversed(t)))
items = sum(l.count('"Feature"') for l in open(f"{d}/demand.geojson", encoding="utf-8"))
print(json.dumps({"factor": float(f), "demand_items": items, "wall_s": wall,
                  "peak_rss_mb": rss, "stages_s": stages,
                  "stages_peak_rss_mib": stage_mem}))
EOF
)
    echo "$row"
    rows+=("$row")
done
python3 - "${rows[@]}" <<'EOF'
import json, math, sys
rows = [json.loads(r) for r in sys.argv[1:]]
for a, b in zip(rows, rows[1:]):
    ratio = b["demand_items"] / a["demand_items"]
    def exp(x, y):
        return math.log(y / x) / math.log(ratio) if x and y else float("nan")
    per = {s: round(exp(a["stages_s"].get(s), b["stages_s"].get(s)), 2)
           for s in b["stages_s"] if s in a["stages_s"]}
    am, bm = a.get("stages_peak_rss_mib", {}), b.get("stages_peak_rss_mib", {})
    mem = {s: round(exp(am.get(s), bm.get(s)), 2) for s in bm if s in am}
    print(json.dumps({"from": a["factor"], "to": b["factor"],
                      "size_ratio": round(ratio, 3),
                      "time_exponent": round(exp(a["wall_s"], b["wall_s"]), 2),
                      "memory_exponent": round(exp(a["peak_rss_mb"], b["peak_rss_mb"]), 2),
                      "stage_exponents": per,
                      "stage_memory_exponents": mem}))
EOF
