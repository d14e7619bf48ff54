"""Bad problems give a clear error naming the field."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from reliefops.planning import (
    Demand,
    ProblemError,
    Site,
    Vehicle,
    problem_from_json,
    problem_to_json,
)
from tests.planning.conftest import small_builder


def test_negative_demand_names_the_field() -> None:
    b = small_builder()
    with pytest.raises(ProblemError) as error:
        b.add_demand(Demand("bad", "S1", "food_parcel", -5))
    assert error.value.field == "demands[3].quantity"
    assert "-5" in str(error.value)


def test_unknown_depot_of_a_vehicle_names_the_field() -> None:
    b = small_builder()
    b.add_vehicle(Vehicle("V9", "NOWHERE", 100, 1, 0, frozenset({"food"})))
    with pytest.raises(ProblemError) as error:
        b.build()
    assert error.value.field == "vehicles[2].depot"
    assert "NOWHERE" in error.value.message


def test_matrix_of_the_wrong_shape_names_the_matrix() -> None:
    b = small_builder()
    b.set_matrix(np.ones((4, 4)), np.ones((4, 4)))
    with pytest.raises(ProblemError) as error:
        b.build()
    assert error.value.field == "distance_km"
    assert "5×5" in error.value.message


def test_non_square_matrix_is_refused_at_once() -> None:
    with pytest.raises(ProblemError) as error:
        small_builder().set_matrix(np.ones((5, 4)), np.ones((5, 5)))
    assert error.value.field == "distance_km"


def test_nan_in_the_matrix_names_the_cell() -> None:
    duration = np.ones((5, 5))
    duration[2, 3] = math.nan
    with pytest.raises(ProblemError) as error:
        small_builder().set_matrix(np.ones((5, 5)), duration)
    assert error.value.field == "duration_min[2][3]"


def test_nan_coordinate_names_the_field() -> None:
    with pytest.raises(ProblemError) as error:
        small_builder().add_site(Site("S9", math.nan, 47.0))
    assert error.value.field == "sites[5].lat"


def test_duplicate_id_is_refused() -> None:
    with pytest.raises(ProblemError, match="duplicate"):
        small_builder().add_site(Site("S1", 40.0, 47.0))


def test_json_errors_name_the_field(small_problem) -> None:  # type: ignore[no-untyped-def]
    document = problem_to_json(small_problem, include_matrix=False)
    document["demands"][1]["quantity"] = -3
    with pytest.raises(ProblemError) as error:
        problem_from_json(document)
    assert error.value.field == "demands[1].quantity"

    document = problem_to_json(small_problem, include_matrix=False)
    document["vehicles"][0]["depot"] = "D404"
    with pytest.raises(ProblemError) as error:
        problem_from_json(document)
    assert error.value.field == "vehicles[0].depot"

    document = problem_to_json(small_problem, include_matrix=True)
    document["travel"]["distance_km"][1][2] = math.nan
    with pytest.raises(ProblemError) as error:
        problem_from_json(json.loads(json.dumps(document)))
    assert error.value.field == "travel.distance_km[1][2]"


def test_problem_json_round_trip(small_problem) -> None:  # type: ignore[no-untyped-def]
    again = problem_from_json(json.loads(json.dumps(problem_to_json(small_problem))))
    assert again.demands == small_problem.demands
    assert again.vehicles == small_problem.vehicles
    assert np.allclose(again.duration_min, small_problem.duration_min, atol=1e-3)
