"""TEMPORARY stub (replaced by the routing branch)."""

import math
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Point:
    lat: float
    lon: float


def distance_km(a, b):
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def route_plan(*, start, points):
    order, here, left = [], start, set(range(len(points)))
    while left:
        nxt = min(left, key=lambda i: (distance_km(here, points[i]), i))
        order.append(nxt)
        left.remove(nxt)
        here = points[nxt]
    return order


def path_length_km(*, start, points, order):
    total, here = 0.0, start
    for i in order:
        total += distance_km(here, points[i])
        here = points[i]
    return total


@dataclass
class Split:
    groups: list = field(default_factory=list)
    unassigned: list = field(default_factory=list)


def stops_split(*, depot, points, capacities, weights=None):
    idx = sorted(
        range(len(points)),
        key=lambda i: (math.atan2(points[i].lat - depot.lat, points[i].lon - depot.lon), i),
    )
    groups, k = [[] for _ in capacities], 0
    unassigned = []
    for i in idx:
        while k < len(capacities) and len(groups[k]) >= capacities[k]:
            k += 1
        if k >= len(capacities):
            unassigned.append(i)
        else:
            groups[k].append(i)
    return Split(groups=groups, unassigned=unassigned)
