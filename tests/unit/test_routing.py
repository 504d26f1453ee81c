"""Round heuristics (delivery/routing.py): pure functions, no database."""

import itertools
import math
import random

import pytest

from delivery.routing import (
    EARTH_RADIUS_KM,
    Point,
    Split,
    distance_km,
    path_length_km,
    route_nearest_neighbour,
    route_plan,
    route_two_opt,
    stops_split,
)

AIX = Point(45.6885, 5.9153)
CHAMBERY = Point(45.5646, 5.9178)
CENTRE = Point(45.69, 5.91)
# Length of a degree of latitude on the haversine sphere.
KM_PER_DEGREE = 2 * math.pi * EARTH_RADIUS_KM / 360


def scatter(rng: random.Random, count: int, spread: float = 0.05) -> list[Point]:
    """Points within about ±5 km of the town centre."""
    return [
        Point(CENTRE.lat + rng.uniform(-spread, spread), CENTRE.lon + rng.uniform(-spread, spread))
        for _ in range(count)
    ]


def east(km: float) -> Point:
    """A point `km` east of the centre, on its parallel."""
    return Point(CENTRE.lat, CENTRE.lon + km / (KM_PER_DEGREE * math.cos(math.radians(CENTRE.lat))))


def test_haversine_gives_about_13_km_from_aix_les_bains_to_chambery():
    assert distance_km(AIX, CHAMBERY) == pytest.approx(13.78, abs=0.1)
    assert distance_km(CHAMBERY, AIX) == distance_km(AIX, CHAMBERY)
    assert distance_km(AIX, AIX) == 0.0


def test_nearest_neighbour_walks_a_line_in_order_whatever_the_input_order():
    points = [east(3), east(1), east(4), east(2)]
    order = route_nearest_neighbour(start=CENTRE, points=points)
    assert order == [1, 3, 0, 2]
    assert path_length_km(start=CENTRE, points=points, order=order) == pytest.approx(4, rel=1e-3)


def test_nearest_neighbour_breaks_ties_by_index():
    points = [east(-1), east(1), east(1)]
    assert route_nearest_neighbour(start=CENTRE, points=points) == [0, 1, 2]


def test_two_opt_removes_a_crossing():
    # A 1 km square; visiting its corners diagonally makes the path cross itself.
    north = 1 / KM_PER_DEGREE
    a, b = east(1), Point(CENTRE.lat + north, CENTRE.lon)
    c = Point(b.lat, east(1).lon)
    points = [a, b, c]
    crossing = [1, 0, 2]  # centre → north → east → north-east: the two legs cross
    fixed = route_two_opt(start=CENTRE, points=points, order=crossing)
    before = path_length_km(start=CENTRE, points=points, order=crossing)
    after = path_length_km(start=CENTRE, points=points, order=fixed)
    assert after < before - 0.3
    assert fixed in ([0, 2, 1], [1, 2, 0])
    assert after == pytest.approx(3, rel=1e-2)


def test_two_opt_may_reverse_the_tail_because_the_end_is_free():
    points = [east(1), east(3), east(2)]
    assert route_two_opt(start=CENTRE, points=points, order=[0, 1, 2]) == [0, 2, 1]


def test_two_opt_rejects_an_order_that_is_not_a_permutation():
    with pytest.raises(ValueError):
        route_two_opt(start=CENTRE, points=[east(1), east(2)], order=[0, 0])


def test_empty_and_single_point_routes():
    assert route_plan(start=CENTRE, points=[]) == []
    assert route_plan(start=CENTRE, points=[east(1)]) == [0]
    assert path_length_km(start=CENTRE, points=[], order=[]) == 0.0


@pytest.mark.parametrize("seed", range(200))
def test_planned_route_is_never_longer_than_nearest_neighbour(seed):
    rng = random.Random(seed)
    points = scatter(rng, rng.randint(1, 60))
    nearest = route_nearest_neighbour(start=CENTRE, points=points)
    planned = route_plan(start=CENTRE, points=points)
    assert sorted(planned) == list(range(len(points)))
    assert path_length_km(start=CENTRE, points=points, order=planned) <= path_length_km(
        start=CENTRE, points=points, order=nearest
    )


@pytest.mark.parametrize("seed", range(20))
def test_planned_route_is_optimal_or_close_on_small_instances(seed):
    rng = random.Random(1000 + seed)
    points = scatter(rng, 7)
    best = min(
        path_length_km(start=CENTRE, points=points, order=order)
        for order in itertools.permutations(range(len(points)))
    )
    planned = path_length_km(
        start=CENTRE, points=points, order=route_plan(start=CENTRE, points=points)
    )
    assert planned <= best * 1.10


def test_route_plan_is_deterministic():
    points = scatter(random.Random(7), 40)
    assert route_plan(start=CENTRE, points=points) == route_plan(start=CENTRE, points=points)
    assert route_plan(start=CENTRE, points=list(points)) == route_plan(
        start=CENTRE, points=tuple(points)
    )


def assert_valid_split(split: Split, *, count: int, capacities, weights=None) -> None:
    weights = weights or [1] * count
    assert len(split.groups) == len(capacities)
    seen = [index for group in split.groups for index in group] + split.unassigned
    assert sorted(seen) == list(range(count)), "each point exactly once"
    for group, capacity in zip(split.groups, capacities, strict=True):
        assert sum(weights[i] for i in group) <= capacity


@pytest.mark.parametrize("seed", range(50))
def test_split_respects_capacities_and_covers_every_point_once(seed):
    rng = random.Random(seed)
    count = rng.randint(0, 120)
    points = scatter(rng, count)
    capacities = [rng.randint(0, 30) for _ in range(rng.randint(1, 6))]
    weights = [rng.randint(1, 4) for _ in range(count)] if seed % 2 else None
    split = stops_split(depot=CENTRE, points=points, capacities=capacities, weights=weights)
    assert_valid_split(split, count=count, capacities=capacities, weights=weights)
    if weights is None:
        assert len(split.unassigned) == max(0, count - sum(capacities))


def test_split_lists_leftovers_when_capacity_is_short():
    points = scatter(random.Random(3), 10)
    split = stops_split(depot=CENTRE, points=points, capacities=[3, 4])
    assert [len(group) for group in split.groups] == [3, 4]
    assert len(split.unassigned) == 3
    assert split.unassigned == sorted(split.unassigned)


def test_split_gives_a_too_heavy_drop_to_nobody_without_starving_the_others():
    points = [east(1), east(2), east(3)]
    split = stops_split(depot=CENTRE, points=points, capacities=[5, 5], weights=[2, 9, 2])
    assert split.unassigned == [1]
    assert sorted(i for group in split.groups for i in group) == [0, 2]


def test_split_gives_each_courier_a_compact_sector():
    # Four clusters at the four compass points, 10 drops each, four couriers of 10.
    rng = random.Random(11)
    points = []
    for dlat, dlon in ((0.04, 0), (0, 0.05), (-0.04, 0), (0, -0.05)):
        points += [
            Point(CENTRE.lat + dlat + rng.uniform(-0.004, 0.004), CENTRE.lon + dlon)
            for _ in range(10)
        ]
    split = stops_split(depot=CENTRE, points=points, capacities=[10] * 4)
    assert split.unassigned == []
    assert sorted(sorted(group) for group in split.groups) == [
        list(range(k, k + 10)) for k in (0, 10, 20, 30)
    ]


def test_split_may_leave_couriers_empty_and_is_deterministic():
    points = scatter(random.Random(5), 8)
    first = stops_split(depot=CENTRE, points=points, capacities=[10, 10, 10])
    assert [len(group) for group in first.groups] == [8, 0, 0]
    assert stops_split(depot=CENTRE, points=points, capacities=[10, 10, 10]) == first


def test_split_rejects_inconsistent_input():
    with pytest.raises(ValueError):
        stops_split(depot=CENTRE, points=[east(1)], capacities=[1], weights=[1, 1])
    with pytest.raises(ValueError):
        stops_split(depot=CENTRE, points=[east(1)], capacities=[-1])
