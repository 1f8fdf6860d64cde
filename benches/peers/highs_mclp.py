#!/usr/bin/env python3
"""Solves one `siting mclp-instance` instance as a sparse MILP with HiGHS
(through SciPy's `scipy.optimize.milp`, installed from PyPI with spopt), and
prints one JSON line: objective, proven bound, seconds, status.

    python highs_mclp.py INSTANCE_DIR --radius-m 1000 --p 50 --time-limit 600

The model is the textbook one, max sum w_i z_i s.t. z_i <= sum_{j covers i}
x_j, sum x_j = p, x binary, 0 <= z <= 1, with one row per demand point (no
merging: HiGHS's own presolve does what it does). Coverage comes from each
feature's `x_m`, `y_m` (distance <= radius), as `siting mclp` computes it."""
import argparse, json, os, time

t0 = time.time()
ap = argparse.ArgumentParser()
ap.add_argument("instance")
ap.add_argument("--radius-m", type=float, required=True)
ap.add_argument("--p", type=int, required=True)
ap.add_argument("--time-limit", type=float, default=600)
a = ap.parse_args()

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix, csr_matrix
from scipy.spatial import cKDTree

def load(name):
    with open(os.path.join(a.instance, name), encoding="utf-8") as f:
        return json.load(f)["features"]

cands, demand = load("candidates.geojson"), load("demand.geojson")
n, m = len(cands), len(demand)
cx = np.array([[f["properties"]["x_m"], f["properties"]["y_m"]] for f in cands])
dx = np.array([[f["properties"]["x_m"], f["properties"]["y_m"]] for f in demand])
w = np.array([f["properties"]["weight"] for f in demand], dtype=float)
near = cKDTree(cx).query_ball_point(dx, a.radius_m)
rows, cols, vals = [], [], []
for i, js in enumerate(near):
    rows.append(i); cols.append(n + i); vals.append(1.0)
    for j in js:
        if np.hypot(*(dx[i] - cx[j])) <= a.radius_m:
            rows.append(i); cols.append(j); vals.append(-1.0)
A = coo_matrix((vals, (rows, cols)), shape=(m, n + m)).tocsr()
card = csr_matrix(np.concatenate([np.ones(n), np.zeros(m)])[None, :])
c = np.concatenate([np.zeros(n), -w])
integrality = np.concatenate([np.ones(n), np.zeros(m)])
left = max(1.0, a.time_limit - (time.time() - t0))
res = milp(c, constraints=[LinearConstraint(A, -np.inf, 0), LinearConstraint(card, a.p, a.p)],
           integrality=integrality, bounds=Bounds(0, 1), options={"time_limit": left, "disp": False})
out = {"status": res.message, "objective": None, "bound": None, "seconds": round(time.time() - t0, 2)}
if res.x is not None:
    chosen = set(np.flatnonzero(res.x[:n] > 0.5).tolist())
    covered = np.array([any(j in chosen and np.hypot(*(dx[i] - cx[j])) <= a.radius_m for j in js)
                        for i, js in enumerate(near)], dtype=bool)
    out["objective"] = int(w[covered].sum())
if getattr(res, "mip_dual_bound", None) is not None:
    out["bound"] = -res.mip_dual_bound
print(json.dumps(out))
