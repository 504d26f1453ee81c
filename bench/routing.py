"""How long planning a delivery day takes: 500 drops around Aix-les-Bains, 10 couriers.

The drops are shared among the couriers by `stops_split` (a sweep around the depot, 60 parcels
each), then each courier's round is planned with `route_plan`: first the shops it collects
from (those of its drops, out of 15 in the town centre) starting at the depot, then its drops
starting at the last shop. Pure Python, no database, no Django:

    .venv/bin/python bench/routing.py                  # the defaults below
    .venv/bin/python bench/routing.py --drops 1000 --couriers 20

Prints the median wall time of several runs, phase by phase, and the kilometres driven
(straight lines: streets are longer), with nearest neighbour alone for comparison. Figures,
not pass/fail.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from delivery.routing import (  # noqa: E402 - after the path is set
    Point,
    path_length_km,
    route_nearest_neighbour,
    route_plan,
    stops_split,
)

DEPOT = Point(45.6885, 5.9153)  # Aix-les-Bains, town centre


def around(rng: random.Random, centre: Point, km: float) -> Point:
    """A point at most `km` from `centre`, denser near it (as homes are near a town centre)."""
    radius, angle = km * rng.random(), 2 * math.pi * rng.random()
    dlat = radius * math.cos(angle) / 111.195
    dlon = radius * math.sin(angle) / (111.195 * math.cos(math.radians(centre.lat)))
    return Point(centre.lat + dlat, centre.lon + dlon)


Round = tuple[Point, list[Point], list[int], Point, list[Point], list[int]]


def day_plan(
    *, drops: list[Point], shop_of: list[int], shops: list[Point], capacities: list[int]
) -> tuple[dict[str, float], list[Round]]:
    """Split, then plan every round: each phase's seconds, and the rounds (start, points,
    order for the pickups, then for the drops)."""
    started = time.perf_counter()
    split = stops_split(depot=DEPOT, points=drops, capacities=capacities)
    split_s = time.perf_counter() - started
    started = time.perf_counter()
    rounds: list[Round] = []
    for group in split.groups:
        if not group:
            continue
        pickups = [shops[s] for s in sorted({shop_of[i] for i in group})]
        stops = [drops[i] for i in group]
        pickup_order = route_plan(start=DEPOT, points=pickups)
        last_shop = pickups[pickup_order[-1]]
        rounds.append(
            (
                DEPOT,
                pickups,
                pickup_order,
                last_shop,
                stops,
                route_plan(start=last_shop, points=stops),
            )
        )
    figures = {"split_s": split_s, "plan_s": time.perf_counter() - started}
    figures["unassigned"] = len(split.unassigned)
    figures["largest"] = max((len(group) for group in split.groups), default=0)
    return figures, rounds


def rounds_km(rounds: list[Round]) -> tuple[float, float]:
    """Kilometres of the planned rounds, and of nearest neighbour alone on the same groups."""
    planned = nearest = 0.0
    for depot, pickups, pickup_order, last_shop, stops, drop_order in rounds:
        planned += path_length_km(start=depot, points=pickups, order=pickup_order)
        planned += path_length_km(start=last_shop, points=stops, order=drop_order)
        nn_pickups = route_nearest_neighbour(start=depot, points=pickups)
        nn_last = pickups[nn_pickups[-1]]
        nn_drops = route_nearest_neighbour(start=nn_last, points=stops)
        nearest += path_length_km(start=depot, points=pickups, order=nn_pickups)
        nearest += path_length_km(start=nn_last, points=stops, order=nn_drops)
    return planned, nearest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drops", type=int, default=500)
    parser.add_argument("--couriers", type=int, default=10)
    parser.add_argument("--capacity", type=int, default=60)
    parser.add_argument("--shops", type=int, default=15)
    parser.add_argument(
        "--radius-km", type=float, default=5.0, help="drops within this of the depot"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    shops = [around(rng, DEPOT, 1.0) for _ in range(args.shops)]
    drops = [around(rng, DEPOT, args.radius_km) for _ in range(args.drops)]
    shop_of = [rng.randrange(args.shops) for _ in range(args.drops)]
    capacities = [args.capacity] * args.couriers

    runs = [
        day_plan(drops=drops, shop_of=shop_of, shops=shops, capacities=capacities)
        for _ in range(args.repeat)
    ]
    figures, rounds = runs[0]
    split_s = statistics.median(run[0]["split_s"] for run in runs)
    plan_s = statistics.median(run[0]["plan_s"] for run in runs)
    planned, nearest = rounds_km(rounds)
    print(
        f"{args.drops} drops within {args.radius_km:g} km, {args.shops} shops, "
        f"{args.couriers} couriers x {args.capacity} parcels (seed {args.seed}, "
        f"median of {args.repeat} runs, Python {sys.version.split()[0]})"
    )
    print(f"  stops_split                 {split_s * 1000:8.1f} ms")
    print(f"  route_plan, every round     {plan_s * 1000:8.1f} ms")
    print(f"  total                       {(split_s + plan_s) * 1000:8.1f} ms")
    print(
        f"  couriers used {len(rounds)}, largest round {figures['largest']:.0f} drops, "
        f"unassigned {figures['unassigned']:.0f}"
    )
    saving = 1 - planned / nearest if nearest else 0.0
    print(
        f"  distance: {planned:.1f} km planned, {nearest:.1f} km with nearest neighbour "
        f"alone ({saving:.1%} shorter), straight lines"
    )


if __name__ == "__main__":
    main()
