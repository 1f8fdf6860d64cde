#!/usr/bin/env python3
"""Path-loss values from ns-3's own models, for crates/siting-radio/tests/reference_values.rs.

ns-3 (nsnam.org, GPL-2.0) is an implementation we did not write. This script asks
its OkumuraHataPropagationLossModel (Hata below 1500 MHz, COST-231 Hata above),
and its ThreeGpp{Rma,Uma,Umi}StreetCanyonPropagationLossModel (TR 38.901 Table
7.4.1-1, shadowing off, LOS or NLOS forced by Always/NeverLosChannelConditionModel)
for the loss at each case below, and prints the cases as Rust tuples.

    python3 -m venv /tmp/ns3 && /tmp/ns3/bin/pip install ns3==3.44.post0
    /tmp/ns3/bin/python scripts/reference/ns3_pathloss.py

Geometry: the base station at (0, 0, hb), the mobile at (x, 0, hm). ns-3's Hata
takes the 3D distance, so for Hata and COST-231 x is chosen to make the 3D
distance the case's distance; the TR 38.901 models take the case's distance as
the 2D distance, as TR 38.901 does.
"""
import math
import sys

from ns import ns

# (f MHz, hb m, hm m, d m, environment, city)
HATA = [
    (150.0, 30.0, 1.0, 1000.0, "urban", "large"),
    (180.0, 50.0, 3.0, 5000.0, "urban", "large"),
    (250.0, 80.0, 4.0, 6000.0, "urban", "large"),
    (450.0, 30.0, 1.5, 2000.0, "urban", "large"),
    (450.0, 100.0, 5.0, 10000.0, "urban", "medium"),
    (700.0, 35.0, 1.5, 12000.0, "urban", "medium"),
    (800.0, 45.0, 1.5, 3000.0, "suburban", "medium"),
    (900.0, 200.0, 10.0, 20000.0, "urban", "large"),
    (900.0, 40.0, 2.0, 1500.0, "open", "medium"),
    (1000.0, 150.0, 8.0, 15000.0, "suburban", "medium"),
    (1200.0, 60.0, 1.5, 8000.0, "suburban", "large"),
    (1500.0, 30.0, 1.5, 1000.0, "open", "large"),
]

# (f MHz, hb m, hm m, d m): ns-3's COST-231 for a medium city (C = 0).
COST231 = [
    (1510.0, 30.0, 1.5, 1000.0),
    (1710.0, 30.0, 1.0, 2000.0),
    (1750.0, 50.0, 1.5, 5000.0),
    (1800.0, 30.0, 1.5, 1000.0),
    (1800.0, 100.0, 3.0, 10000.0),
    (1850.0, 40.0, 2.0, 3000.0),
    (1867.5, 35.0, 1.5, 1500.0),
    (1890.0, 45.0, 1.5, 4000.0),
    (1920.0, 200.0, 10.0, 20000.0),
    (1950.0, 60.0, 5.0, 8000.0),
    (2000.0, 30.0, 1.5, 2500.0),
    (2000.0, 150.0, 1.0, 15000.0),
]

# (f MHz, hBS m, hUT m, d2D m, building height h m, street width W m)
RMA_LOS = [
    (700.0, 35.0, 1.5, 10.0, 5.0, 20.0),
    (700.0, 35.0, 1.5, 5000.0, 5.0, 20.0),
    (1900.0, 10.0, 1.0, 100.0, 5.0, 5.0),
    (1900.0, 35.0, 1.5, 1000.0, 10.0, 20.0),
    (2100.0, 60.0, 5.0, 300.0, 20.0, 30.0),
    (2100.0, 60.0, 5.0, 9000.0, 20.0, 30.0),
    (3500.0, 150.0, 10.0, 2000.0, 50.0, 50.0),
    (3500.0, 25.0, 2.0, 4000.0, 7.0, 25.0),
    (6000.0, 35.0, 1.5, 10000.0, 5.0, 20.0),
    (6000.0, 80.0, 3.0, 50.0, 15.0, 10.0),
    (28000.0, 35.0, 1.5, 700.0, 5.0, 20.0),
    (28000.0, 20.0, 8.0, 2500.0, 30.0, 40.0),
]

RMA_NLOS = [
    (700.0, 35.0, 1.5, 10.0, 5.0, 20.0),
    (700.0, 35.0, 1.5, 5000.0, 5.0, 20.0),
    (1900.0, 10.0, 1.0, 100.0, 5.0, 5.0),
    (1900.0, 35.0, 1.5, 1000.0, 10.0, 20.0),
    (2100.0, 60.0, 5.0, 300.0, 20.0, 30.0),
    (2100.0, 60.0, 5.0, 4500.0, 20.0, 30.0),
    (3500.0, 150.0, 10.0, 2000.0, 50.0, 50.0),
    (3500.0, 25.0, 2.0, 4000.0, 7.0, 25.0),
    (6000.0, 35.0, 1.5, 3000.0, 5.0, 20.0),
    (6000.0, 80.0, 3.0, 50.0, 15.0, 10.0),
    (28000.0, 35.0, 1.5, 700.0, 5.0, 20.0),
    (28000.0, 20.0, 8.0, 2500.0, 30.0, 40.0),
]

# (f MHz, hUT m, d2D m); hBS is 25 m (UMa) or 10 m (UMi). hUT stays below 13 m,
# where TR 38.901's effective environment height is 1 m for certain.
URBAN = [
    (700.0, 1.5, 10.0),
    (700.0, 1.5, 3000.0),
    (1800.0, 2.0, 150.0),
    (1855.0, 1.5, 800.0),
    (1890.0, 1.5, 2000.0),
    (2100.0, 5.0, 400.0),
    (2600.0, 8.0, 1200.0),
    (3500.0, 1.5, 60.0),
    (3500.0, 12.0, 5000.0),
    (4900.0, 3.0, 250.0),
    (28000.0, 1.5, 500.0),
    (60000.0, 10.0, 100.0),
]


def position(x, z):
    m = ns.CreateObject[ns.ConstantPositionMobilityModel]()
    m.SetPosition(ns.Vector(x, 0.0, z))
    return m


def hata(f, hb, hm, d, env, city):
    m = ns.CreateObject[ns.OkumuraHataPropagationLossModel]()
    m.SetAttribute("Frequency", ns.DoubleValue(f * 1e6))
    m.SetAttribute("Environment", ns.StringValue({"urban": "Urban", "suburban": "SubUrban", "open": "OpenAreas"}[env]))
    m.SetAttribute("CitySize", ns.StringValue({"large": "Large", "medium": "Medium"}[city]))
    x = math.sqrt(d * d - (hb - hm) ** 2)
    return m.GetLoss(position(0.0, hb), position(x, hm))


def three_gpp(model, los, f, hbs, hut, d2, h=None, w=None):
    m = ns.CreateObject[model]()
    m.SetAttribute("Frequency", ns.DoubleValue(f * 1e6))
    m.SetAttribute("ShadowingEnabled", ns.BooleanValue(False))
    if h is not None:
        m.SetAttribute("AvgBuildingHeight", ns.DoubleValue(h))
        m.SetAttribute("AvgStreetWidth", ns.DoubleValue(w))
    cond = ns.CreateObject[ns.AlwaysLosChannelConditionModel if los else ns.NeverLosChannelConditionModel]()
    m.SetChannelConditionModel(cond)
    return -m.CalcRxPower(0.0, position(0.0, hbs), position(d2, hut))


def main():
    out = sys.stdout
    out.write("// okumura-hata: (f MHz, hb m, hm m, d m, environment, city, loss dB)\n")
    for f, hb, hm, d, env, city in HATA:
        out.write(f"({f!r}, {hb!r}, {hm!r}, {d!r}, {env.capitalize()}, {city.capitalize()}, {hata(f, hb, hm, d, env, city):.4f}),\n")
    out.write("// cost231-hata, medium city: (f MHz, hb m, hm m, d m, loss dB)\n")
    for f, hb, hm, d in COST231:
        out.write(f"({f!r}, {hb!r}, {hm!r}, {d!r}, {hata(f, hb, hm, d, 'urban', 'medium'):.4f}),\n")
    for name, cases, los in (("rma-los", RMA_LOS, True), ("rma-nlos", RMA_NLOS, False)):
        out.write(f"// 3gpp-{name}: (f MHz, hBS m, hUT m, d2D m, h m, W m, loss dB)\n")
        for f, hbs, hut, d2, h, w in cases:
            loss = three_gpp(ns.ThreeGppRmaPropagationLossModel, los, f, hbs, hut, d2, h, w)
            out.write(f"({f!r}, {hbs!r}, {hut!r}, {d2!r}, {h!r}, {w!r}, {loss:.4f}),\n")
    for name, model, hbs in (
        ("uma", ns.ThreeGppUmaPropagationLossModel, 25.0),
        ("umi", ns.ThreeGppUmiStreetCanyonPropagationLossModel, 10.0),
    ):
        for los in (True, False):
            out.write(f"// 3gpp-{name}-{'los' if los else 'nlos'}, hBS {hbs} m: (f MHz, hUT m, d2D m, loss dB)\n")
            for f, hut, d2 in URBAN:
                out.write(f"({f!r}, {hut!r}, {d2!r}, {three_gpp(model, los, f, hbs, hut, d2):.4f}),\n")


if __name__ == "__main__":
    main()
