#!/usr/bin/env bash
# Issue 11's speed goal, measured in one run on the same machine:
#   1. `ogr2ogr -f GPKG` of the 1.3-million-cell instance's demand layer
#      (the baseline: GDAL converting one layer);
#   2. `siting plan` on that instance, from reading every layer to every file
#      written (plan.geojson, report.*, plan.gpkg, coverage GeoTIFFs, maps,
#      approval lists), without `siting check` (a separate re-derivation).
# Wall time and peak resident memory of each come from `/usr/bin/time -v`.
# The goal: siting under a third of ogr2ogr's time, and under 2.5 GB.
#
# Usage: bash benches/gpkg_vs_ogr2ogr.sh [WORK_DIR] [-- EXTRA_PLAN_ARGS…]
#   WORK_DIR (default target/bench-gpkg) holds the instance (built once with
#   `siting synth --cell-m 250`, ~180 MB) and both outputs.
#   SITING=path/to/siting overrides the binary (default target/release/siting,
#   built with `cargo build --release` if missing).
# Prints one summary line per tool and the ratios, and writes them to
# WORK_DIR/result.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-target/bench-gpkg}
shift || true
[[ "${1:-}" == "--" ]] && shift
extra=("$@")
siting=${SITING:-target/release/siting}
[[ -x "$siting" ]] || cargo build --release
[[ -x /usr/bin/time ]] || { echo "needs GNU time (/usr/bin/time, Debian package time)" >&2; exit 1; }
command -v ogr2ogr >/dev/null || { echo "needs ogr2ogr (gdal-bin; scripts/setup.sh installs it)" >&2; exit 1; }

inst="$work/instance"
mkdir -p "$inst"
if [[ ! -s "$inst/demand.geojson" ]]; then
  "$siting" -q synth --cell-m 250 --out "$inst"
fi
# The rest of the configuration and the real layers come from the embedded set.
for f in plan.toml districts.geojson townships.geojson dem_5arcmin.asc; do
  cp data/chongqing/$f "$inst/"
done

measure() { # LABEL TIMEFILE CMD… : runs CMD under /usr/bin/time -v
  local label=$1 tf=$2; shift 2
  /usr/bin/time -v "$@" >"$work/$label.stdout" 2>"$tf"
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$tf")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tf")
  # m:ss.cc or h:mm:ss → seconds
  awk -v w="$wall" -v r="$rss" -v l="$label" 'BEGIN {
    n = split(w, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i];
    printf "%s %.2f %.0f\n", l, s, r / 1024 }'
}

rm -rf "$work/ogr2ogr.gpkg" "$work/plan-out"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)" | tee "$work/result.txt"
ogr=$(measure ogr2ogr "$work/ogr2ogr.time" ogr2ogr -f GPKG "$work/ogr2ogr.gpkg" "$inst/demand.geojson")
sit=$(measure siting "$work/siting.time" "$siting" --log-format json plan --no-check \
  --config "$inst/plan.toml" --out "$work/plan-out" "${extra[@]}")
read -r _ ogr_s ogr_mb <<<"$ogr"
read -r _ sit_s sit_mb <<<"$sit"
{
  echo "ogr2ogr -f GPKG demand.geojson (1,318,544 points): ${ogr_s} s, peak ${ogr_mb} MB"
  echo "siting plan --no-check ${extra[*]:-}: ${sit_s} s, peak ${sit_mb} MB"
  # Stage timings from the JSON log lines (`stage`, `seconds`).
  grep -o '"stage":"[a-z]*","seconds":[0-9.]*' "$work/siting.time" 2>/dev/null |
    sed 's/"stage":"\([a-z]*\)","seconds":\([0-9.]*\)/  \1 \2 s/' || true
  awk -v a="$sit_s" -v b="$ogr_s" -v m="$sit_mb" 'BEGIN {
    printf "ratio siting / ogr2ogr: %.2f (goal < 0.33)\n", a / b;
    printf "peak memory: %.2f GB (goal < 2.5 GB)\n", m / 1024 }'
  ls -l "$work/plan-out/plan.gpkg" "$work/ogr2ogr.gpkg" | awk '{print "  " $5 " bytes " $9}'
} | tee -a "$work/result.txt"
