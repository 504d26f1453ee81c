"""Round planning heuristics: pure functions on points, no model, no query, no numpy.

A courier's round is an *open* path: it leaves a fixed start (the depot, or the last shop
pickup) and ends at its last drop, with no return leg (couriers go home or back to the depot
by whatever way they like; counting that leg would bend the order towards it).

`route_plan` builds one with nearest neighbour, then improves it with 2-opt. Neither is
optimal; together they are usually within a few per cent of it on the 20–60 drops of a round,
in milliseconds, which is what a dispatcher replanning by hand needs. `stops_split` first
shares the drops among couriers by sweeping around the depot, so each one gets a compact
sector and never more parcels than it can carry.

Everything is deterministic (ties broken by index): the same drops always give the same
rounds, so a replan changes nothing unless the input did, and tests can pin results.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

# The geocoders' point (shops/geocoding.py), the one type every function here takes.
from shops.geocoding import Point

# Mean Earth radius (IUGG), in km: haversine's error against the ellipsoid is below 0.5 %.
EARTH_RADIUS_KM = 6371.0088
# Passes of 2-opt at most: each is O(n²), and in practice it settles in a handful.
TWO_OPT_MAX_PASSES = 50
# A move must shorten the path by more than this (km) to count: float rounding alone must
# never make 2-opt loop or swap two equally long paths back and forth.
_EPSILON_KM = 1e-9


@dataclass
class Split:
    """Drops shared among couriers: one list of point indices per courier, in the order the
    sweep met them (possibly empty), and the drops no courier had room for."""

    groups: list[list[int]]
    unassigned: list[int] = field(default_factory=list)


def distance_km(a: Point, b: Point) -> float:
    """Great-circle distance (haversine). Streets are longer than this, but roughly in
    proportion within a town, which is all comparing two orders of the same drops needs."""
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat = lat2 - lat1
    dlon = math.radians(b.lon - a.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def path_length_km(*, start: Point, points: Sequence[Point], order: Sequence[int]) -> float:
    """Length of the open path start → points[order[0]] → … → points[order[-1]]."""
    length, here = 0.0, start
    for index in order:
        length += distance_km(here, points[index])
        here = points[index]
    return length


def _matrix(start: Point, points: Sequence[Point]) -> list[list[float]]:
    """Distances between all nodes, node 0 being the start and node i + 1 points[i]: each
    pair is computed once instead of at every comparison of the heuristics (O(n²) memory,
    about 2 MB for 500 points)."""
    nodes = [start, *points]
    size = len(nodes)
    dist = [[0.0] * size for _ in range(size)]
    for i in range(size):
        for j in range(i + 1, size):
            dist[i][j] = dist[j][i] = distance_km(nodes[i], nodes[j])
    return dist


def _check_order(order: Sequence[int], count: int) -> None:
    if sorted(order) != list(range(count)):
        raise ValueError(f"order must visit each of the {count} points exactly once: {order!r}")


def _nearest_neighbour(dist: list[list[float]]) -> list[int]:
    """Path over the nodes of `dist` from node 0 (the start), as node numbers (1-based)."""
    unvisited = list(range(1, len(dist)))
    path, here = [], 0
    while unvisited:
        row = dist[here]
        # Strict `<` while scanning in index order: of equally near nodes, the lowest wins.
        best = unvisited[0]
        for node in unvisited:
            if row[node] < row[best]:
                best = node
        unvisited.remove(best)
        path.append(best)
        here = best
    return path


def route_nearest_neighbour(*, start: Point, points: Sequence[Point]) -> list[int]:
    """Open path from `start` through every point once, always to the nearest one not yet
    visited (ties: the lowest index). O(n²). Returns indices into `points`."""
    return [node - 1 for node in _nearest_neighbour(_matrix(start, points))]


def _two_opt_pass(path: list[int], dist: list[list[float]]) -> bool:
    """One pass of 2-opt over `path` (nodes after the start, which is node 0), in place.

    Reversing path[i..j] replaces the edges (prev, path[i]) and (path[j], next) with
    (prev, path[j]) and (path[i], next); when j is the last position there is no `next` (the
    end is free), so only the first edge changes. For each i the best j is applied, so a
    pass makes at most n reversals of O(n): the pass stays O(n²). Returns whether it moved.
    """
    n = len(path)
    improved = False
    for i in range(n - 1):
        prev = path[i - 1] if i else 0
        first = path[i]
        best_gain, best_j = _EPSILON_KM, -1
        for j in range(i + 1, n):
            last = path[j]
            gain = dist[prev][first] - dist[prev][last]
            if j + 1 < n:
                nxt = path[j + 1]
                gain += dist[last][nxt] - dist[first][nxt]
            if gain > best_gain:
                best_gain, best_j = gain, j
        if best_j >= 0:
            path[i : best_j + 1] = path[i : best_j + 1][::-1]
            improved = True
    return improved


def route_two_opt(
    *,
    start: Point,
    points: Sequence[Point],
    order: Sequence[int],
    max_passes: int = TWO_OPT_MAX_PASSES,
) -> list[int]:
    """Improve the open path `order` (indices into `points`) by 2-opt: reverse a segment
    whenever that shortens the path (the start fixed, the end free), pass after pass until
    one changes nothing or `max_passes` is reached. Each pass is O(n²).

    Only strictly shorter moves are made, so the result is never longer than `order`; the
    final comparison makes sure of it even against float rounding."""
    _check_order(order, len(points))
    dist = _matrix(start, points)
    path = [index + 1 for index in order]
    for _ in range(max_passes):
        if not _two_opt_pass(path, dist):
            break
    result = [node - 1 for node in path]
    before = path_length_km(start=start, points=points, order=order)
    if path_length_km(start=start, points=points, order=result) > before:
        return list(order)
    return result


def route_plan(*, start: Point, points: Sequence[Point]) -> list[int]:
    """The order to visit `points` from `start` (an open path): nearest neighbour, then 2-opt.

    Cost: the distance matrix and nearest neighbour are O(n²); each 2-opt pass is O(n²) and
    there are at most TWO_OPT_MAX_PASSES (50) of them, so O(k·n²) with k ≤ 50 — a few
    milliseconds for the 60 drops of a round. 2-opt only ever shortens, so the plan is never
    longer than nearest neighbour's own path.
    """
    order = route_nearest_neighbour(start=start, points=points)
    return route_two_opt(start=start, points=points, order=order)


def _sweep_order(depot: Point, points: Sequence[Point]) -> list[int]:
    """Point indices by polar angle around the depot, starting after the widest empty angle,
    so that no sector straddles the place where the sweep starts and ends.

    Angles come from a local flat projection (longitudes shrunk by cos(latitude)): exact
    enough over a town, and it keeps east–west and north–south distances comparable.
    """
    shrink = math.cos(math.radians(depot.lat))

    def key(index: int) -> tuple[float, float, int]:
        dx = (points[index].lon - depot.lon) * shrink
        dy = points[index].lat - depot.lat
        return (math.atan2(dy, dx), math.hypot(dx, dy), index)

    keyed = sorted(key(index) for index in range(len(points)))
    if len(keyed) < 2:
        return [k[2] for k in keyed]
    gaps = [
        (keyed[(i + 1) % len(keyed)][0] - keyed[i][0]) % (2 * math.pi) for i in range(len(keyed))
    ]
    widest = max(range(len(gaps)), key=lambda i: (gaps[i], -i))
    first = (widest + 1) % len(keyed)
    return [k[2] for k in keyed[first:] + keyed[:first]]


def _check_split_input(
    points: Sequence[Point], capacities: Sequence[int], weights: Sequence[int] | None
) -> list[int]:
    if any(capacity < 0 for capacity in capacities):
        raise ValueError(f"capacities may not be negative: {capacities!r}")
    if weights is None:
        return [1] * len(points)
    if len(weights) != len(points):
        raise ValueError(f"{len(weights)} weights for {len(points)} points")
    if any(weight < 0 for weight in weights):
        raise ValueError(f"weights may not be negative: {weights!r}")
    return list(weights)


def stops_split(
    *,
    depot: Point,
    points: Sequence[Point],
    capacities: Sequence[int],
    weights: Sequence[int] | None = None,
) -> Split:
    """Share the drops among couriers (one group per capacity, in the same order) by a sweep
    around the depot: drops are taken by polar angle and handed to the current courier until
    the next one would not fit, then to the next courier. Each courier thus gets a compact
    sector and at most its capacity in parcels (`weights`: parcels per drop, one each when
    not given).

    A drop that fits no courier left in the sweep (the couriers are full, or it is heavier
    than any of them can carry) is offered to the courier with the most room that can still
    take it, and otherwise listed in `unassigned` for staff to deal with, rather than raising:
    the rest of the day can still be planned. With one parcel per drop nothing is unassigned
    unless the drops outnumber the total capacity. Groups are ready for `route_plan`.
    """
    loads = _check_split_input(points, capacities, weights)
    room = list(capacities)
    groups: list[list[int]] = [[] for _ in capacities]
    left: list[int] = []
    courier = 0
    for index in _sweep_order(depot, points):
        while courier < len(room) and room[courier] < loads[index]:
            # Move on only when the next courier could take this drop at all: a drop no
            # courier could carry must not empty the rest of the sweep.
            if loads[index] > max(capacities[courier + 1 :], default=-1):
                break
            courier += 1
        if courier < len(room) and room[courier] >= loads[index]:
            groups[courier].append(index)
            room[courier] -= loads[index]
        else:
            left.append(index)
    unassigned = []
    for index in left:
        fitting = [c for c in range(len(room)) if room[c] >= loads[index]]
        if fitting:
            chosen = max(fitting, key=lambda c: (room[c], -c))
            groups[chosen].append(index)
            room[chosen] -= loads[index]
        else:
            unassigned.append(index)
    return Split(groups=groups, unassigned=sorted(unassigned))
