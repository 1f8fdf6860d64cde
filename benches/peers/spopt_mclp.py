#!/usr/bin/env python3
"""Solves one `siting mclp-instance` instance with PySAL spopt's maximal
covering model (`spopt.locate.MCLP.from_cost_matrix`) and PuLP's bundled CBC,
and prints one JSON line: objective, seconds, status, chosen ids.

    python spopt_mclp.py INSTANCE_DIR --radius-m 1000 --p 50 --time-limit 600

Coverage is computed from each feature's `x_m`, `y_m` (its position in the
instance's metric CRS, as `siting mclp` computes it), distance <= radius,
exactly as `siting mclp` does. spopt needs the dense demand x candidate
cost matrix (and its 0/1 copy); where the two would not fit in this
machine's memory the script says so instead of trying. `--time-limit` is
CBC's own limit; the runner also kills the whole process after it, so model
building counts against it too."""
import argparse, json, os, sys, time

t0 = time.time()
ap = argparse.ArgumentParser()
ap.add_argument("instance")
ap.add_argument("--radius-m", type=float, required=True)
ap.add_argument("--p", type=int, required=True)
ap.add_argument("--time-limit", type=float, default=600)
a = ap.parse_args()

def load(name):
    with open(os.path.join(a.instance, name), encoding="utf-8") as f:
        return json.load(f)["features"]

cands = load("candidates.geojson")
demand = load("demand.geojson")
n, m = len(cands), len(demand)
need_gib = 2 * n * m * 8 / 2**30
with open("/proc/meminfo") as f:
    avail_gib = next(int(l.split()[1]) for l in f if l.startswith("MemAvailable")) / 2**20
if need_gib > 0.8 * avail_gib:
    print(json.dumps({"status": f"not run: the dense cost matrices need {need_gib:.0f} GiB, {avail_gib:.0f} GiB available",
                      "objective": None, "seconds": None}))
    sys.exit(0)

import numpy as np
import pulp
from spopt.locate import MCLP

cx = np.array([[f["properties"]["x_m"], f["properties"]["y_m"]] for f in cands])
dx = np.array([[f["properties"]["x_m"], f["properties"]["y_m"]] for f in demand])
w = np.array([f["properties"]["weight"] for f in demand], dtype=float)
cost = np.empty((m, n))
for s in range(0, m, 2000):
    d = dx[s:s + 2000, None, :] - cx[None, :, :]
    cost[s:s + 2000] = np.sqrt((d ** 2).sum(axis=2))
model = MCLP.from_cost_matrix(cost, w, service_radius=a.radius_m, p_facilities=a.p)
built = time.time() - t0
solver = pulp.PULP_CBC_CMD(msg=False, timeLimit=a.time_limit)
status = "optimal"
try:
    model.solve(solver, results=False)
except RuntimeError as e:
    status = str(e)
prob = model.problem
if prob.sol_status == pulp.LpSolutionIntegerFeasible:
    status = "feasible (CBC time limit)"
chosen = [i for i, v in enumerate(model.fac_vars) if v.varValue is not None and v.varValue > 0.5]
covered = (cost[:, chosen] <= a.radius_m).any(axis=1) if chosen else np.zeros(m, bool)
print(json.dumps({
    "status": status,
    "objective": int(w[covered].sum()) if chosen else None,
    "cbc_objective": pulp.value(prob.objective),
    "seconds": round(time.time() - t0, 2),
    "build_seconds": round(built, 2),
    "chosen": [cands[i]["properties"]["id"] for i in chosen],
}))
