"""ISO 2859-1 / Z1.4 single sampling: code letters, master tables, verdicts, switching rules.

Pure logic: no database. The tables are checked two ways: against published points, and against
their own construction (each master table is a set of diagonals; arrows only point to plans).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from graph.sampling import (
    AQL_VALUES,
    CODE_LETTERS,
    DISCONTINUED,
    MASTER_TABLES,
    SAMPLE_SIZES,
    AcRe,
    Arrow,
    InspectionLevel,
    InspectionSeverity,
    LotOutcome,
    Result,
    SamplingPlan,
    SwitchingState,
    code_letter,
    initial_state,
    judge,
    lot_outcome,
    next_state,
    plan,
    resolve,
    resume,
)
from tracegraph.errors import InvalidInputError

NORMAL = InspectionSeverity.NORMAL
TIGHTENED = InspectionSeverity.TIGHTENED
REDUCED = InspectionSeverity.REDUCED

# --- Table I -------------------------------------------------------------------------------------

# Level II at both ends of every lot size range, then the other levels at sample points.
CODE_LETTER_POINTS = [
    *[
        (lot, "II", letter)
        for lot, letter in [
            (2, "A"), (8, "A"), (9, "B"), (15, "B"), (16, "C"), (25, "C"), (26, "D"), (50, "D"),
            (51, "E"), (90, "E"), (91, "F"), (150, "F"), (151, "G"), (280, "G"), (281, "H"),
            (500, "H"), (501, "J"), (1200, "J"), (1201, "K"), (3200, "K"), (3201, "L"),
            (10_000, "L"), (10_001, "M"), (35_000, "M"), (35_001, "N"), (150_000, "N"),
            (150_001, "P"), (500_000, "P"), (500_001, "Q"), (10**9, "Q"),
        ]
    ],
    (2, "III", "B"), (8, "III", "B"), (9, "III", "C"), (1200, "III", "K"), (500_000, "III", "Q"),
    (500_001, "III", "R"), (8, "I", "A"), (50, "I", "C"), (51, "I", "C"), (281, "I", "F"),
    (1201, "I", "H"), (10_001, "I", "K"), (500_001, "I", "N"), (25, "S-1", "A"),
    (51, "S-1", "B"), (501, "S-1", "C"), (35_001, "S-1", "D"), (26, "S-2", "B"),
    (151, "S-2", "C"), (1201, "S-2", "D"), (35_001, "S-2", "E"), (16, "S-3", "B"),
    (51, "S-3", "C"), (151, "S-3", "D"), (501, "S-3", "E"), (3201, "S-3", "F"),
    (35_001, "S-3", "G"), (500_001, "S-3", "H"), (26, "S-4", "C"), (91, "S-4", "D"),
    (151, "S-4", "E"), (501, "S-4", "F"), (1201, "S-4", "G"), (10_001, "S-4", "H"),
    (35_001, "S-4", "J"), (500_001, "S-4", "K"),
]  # fmt: skip


@pytest.mark.parametrize(("lot_size", "level", "letter"), CODE_LETTER_POINTS)
def test_code_letter_published_points(lot_size: int, level: str, letter: str) -> None:
    assert code_letter(lot_size, level) == letter


@pytest.mark.parametrize("lot_size", [2, 9, 26, 91, 281, 1201, 10_001, 150_001, 500_001])
def test_code_letters_grow_with_the_level(lot_size: int) -> None:
    special = [code_letter(lot_size, level) for level in ("S-1", "S-2", "S-3", "S-4")]
    general = [code_letter(lot_size, level) for level in ("I", "II", "III")]
    assert special == sorted(special, key=CODE_LETTERS.index)
    assert general == sorted(general, key=CODE_LETTERS.index)


def test_code_letters_grow_with_the_lot_size() -> None:
    lots = [2, 8, 9, 15, 16, 25, 26, 50, 51, 90, 91, 150, 151, 280, 281, 500, 501, 1200, 1201]
    lots += [3200, 3201, 10_000, 10_001, 35_000, 35_001, 150_000, 150_001, 500_000, 500_001]
    for level in InspectionLevel:
        letters = [CODE_LETTERS.index(code_letter(lot, level)) for lot in lots]
        assert letters == sorted(letters), level


# --- Master tables: published points --------------------------------------------------------

# (lot size, level, AQL, severity) -> (code letter, letter used, n, Ac, Re, 100 % inspection).
# Normal points are read off Table II-A as printed in ISO 2859-1 / Z1.4 / MIL-STD-105E; the
# tightened and reduced K 0.65 points are the textbook example (Montgomery, lot 2000, level II).
PLAN_POINTS: list[tuple[tuple[int, str, str, InspectionSeverity], tuple[Any, ...]]] = [
    ((1200, "II", "2.5", NORMAL), ("J", "J", 80, 5, 6, False)),
    ((1200, "II", "1.0", NORMAL), ("J", "J", 80, 2, 3, False)),
    ((1200, "II", "1.5", NORMAL), ("J", "J", 80, 3, 4, False)),
    ((1200, "II", "4.0", NORMAL), ("J", "J", 80, 7, 8, False)),
    ((1200, "II", "6.5", NORMAL), ("J", "J", 80, 10, 11, False)),
    ((1200, "II", "10", NORMAL), ("J", "J", 80, 14, 15, False)),
    ((1200, "II", "15", NORMAL), ("J", "J", 80, 21, 22, False)),
    ((1200, "II", "0.65", NORMAL), ("J", "J", 80, 1, 2, False)),
    ((1200, "II", "0.40", NORMAL), ("J", "K", 125, 1, 2, False)),  # down
    ((1200, "II", "0.25", NORMAL), ("J", "H", 50, 0, 1, False)),  # up
    ((1200, "II", "0.15", NORMAL), ("J", "J", 80, 0, 1, False)),
    ((1200, "II", "0.10", NORMAL), ("J", "K", 125, 0, 1, False)),  # down
    ((1200, "II", "0.010", NORMAL), ("J", "Q", 1250, 0, 1, True)),  # down five rows, n > lot
    ((1200, "II", "25", NORMAL), ("J", "H", 50, 21, 22, False)),  # up one row
    ((50, "II", "1.0", NORMAL), ("D", "E", 13, 0, 1, False)),  # down
    ((50, "II", "1.5", NORMAL), ("D", "D", 8, 0, 1, False)),
    ((50, "II", "2.5", NORMAL), ("D", "C", 5, 0, 1, False)),  # up
    ((50, "II", "4.0", NORMAL), ("D", "E", 13, 1, 2, False)),  # down
    ((50, "II", "6.5", NORMAL), ("D", "D", 8, 1, 2, False)),
    ((50, "II", "10", NORMAL), ("D", "D", 8, 2, 3, False)),
    ((50, "II", "15", NORMAL), ("D", "D", 8, 3, 4, False)),
    ((100, "II", "1.0", NORMAL), ("F", "E", 13, 0, 1, False)),  # up
    ((100, "II", "1.5", NORMAL), ("F", "G", 32, 1, 2, False)),  # down
    ((100, "II", "2.5", NORMAL), ("F", "F", 20, 1, 2, False)),
    ((500, "II", "0.40", NORMAL), ("H", "G", 32, 0, 1, False)),  # up
    ((500, "II", "0.65", NORMAL), ("H", "J", 80, 1, 2, False)),  # down
    ((500, "II", "2.5", NORMAL), ("H", "H", 50, 3, 4, False)),
    ((500, "II", "6.5", NORMAL), ("H", "H", 50, 7, 8, False)),
    ((3200, "II", "0.65", NORMAL), ("K", "K", 125, 2, 3, False)),
    ((3200, "II", "10", NORMAL), ("K", "K", 125, 21, 22, False)),
    ((10_000, "II", "0.065", NORMAL), ("L", "L", 200, 0, 1, False)),
    ((10_000, "II", "1.0", NORMAL), ("L", "L", 200, 5, 6, False)),
    ((10_000, "II", "2.5", NORMAL), ("L", "L", 200, 10, 11, False)),
    ((10_000, "II", "4.0", NORMAL), ("L", "L", 200, 14, 15, False)),
    ((10_000, "II", "6.5", NORMAL), ("L", "L", 200, 21, 22, False)),
    ((10_000, "II", "10", NORMAL), ("L", "K", 125, 21, 22, False)),  # up
    ((35_000, "II", "1.0", NORMAL), ("M", "M", 315, 7, 8, False)),
    ((35_000, "II", "6.5", NORMAL), ("M", "L", 200, 21, 22, False)),  # up
    ((200_000, "II", "0.65", NORMAL), ("P", "P", 800, 10, 11, False)),
    ((500_001, "II", "0.010", NORMAL), ("Q", "Q", 1250, 0, 1, False)),
    ((500_001, "II", "1.0", NORMAL), ("Q", "Q", 1250, 21, 22, False)),
    ((500_001, "II", "1.5", NORMAL), ("Q", "P", 800, 21, 22, False)),  # up
    ((600_000, "III", "0.010", NORMAL), ("R", "Q", 1250, 0, 1, False)),  # up from the last row
    ((600_000, "III", "0.015", NORMAL), ("R", "P", 800, 0, 1, False)),  # two rows up
    ((600_000, "III", "0.025", NORMAL), ("R", "R", 2000, 1, 2, False)),
    ((8, "II", "1.0", NORMAL), ("A", "E", 13, 0, 1, True)),  # down to n 13 > lot 8
    ((5, "II", "6.5", NORMAL), ("A", "A", 2, 0, 1, False)),
    ((5, "II", "10", NORMAL), ("A", "C", 5, 1, 2, True)),  # row A cell of the ^ band; n = lot
    ((3, "III", "4.0", NORMAL), ("B", "B", 3, 0, 1, True)),  # n equals the lot: 100 %
    ((9, "II", "4.0", NORMAL), ("B", "B", 3, 0, 1, False)),
    ((5, "II", "100", NORMAL), ("A", "A", 2, 5, 6, False)),
    ((5, "II", "1000", NORMAL), ("A", "A", 2, 30, 31, False)),
    ((10, "II", "1000", NORMAL), ("B", "B", 3, 44, 45, False)),
    ((20, "II", "1000", NORMAL), ("C", "B", 3, 44, 45, False)),  # up
    ((50, "II", "250", NORMAL), ("D", "D", 8, 30, 31, False)),
    ((80, "II", "250", NORMAL), ("E", "E", 13, 44, 45, False)),
    ((100, "II", "150", NORMAL), ("F", "E", 13, 30, 31, False)),  # up: AQL 150 stops at 30 31
    ((1200, "I", "2.5", NORMAL), ("G", "G", 32, 2, 3, False)),
    ((1200, "III", "2.5", NORMAL), ("K", "K", 125, 7, 8, False)),
    ((1200, "S-1", "2.5", NORMAL), ("C", "C", 5, 0, 1, False)),
    ((1200, "S-4", "2.5", NORMAL), ("F", "F", 20, 1, 2, False)),
    ((10_000, "S-2", "0.65", NORMAL), ("D", "F", 20, 0, 1, False)),  # down
    # Tightened (Table II-B)
    ((2000, "II", "0.65", TIGHTENED), ("K", "K", 125, 1, 2, False)),
    ((1200, "II", "2.5", TIGHTENED), ("J", "J", 80, 3, 4, False)),
    ((1200, "II", "4.0", TIGHTENED), ("J", "J", 80, 5, 6, False)),
    ((1200, "II", "6.5", TIGHTENED), ("J", "J", 80, 8, 9, False)),
    ((1200, "II", "10", TIGHTENED), ("J", "J", 80, 12, 13, False)),
    ((1200, "II", "15", TIGHTENED), ("J", "J", 80, 18, 19, False)),
    ((1200, "II", "1.0", TIGHTENED), ("J", "J", 80, 1, 2, False)),
    ((1200, "II", "0.65", TIGHTENED), ("J", "K", 125, 1, 2, False)),  # down
    ((1200, "II", "0.40", TIGHTENED), ("J", "L", 200, 1, 2, False)),  # two rows down
    ((1200, "II", "0.25", TIGHTENED), ("J", "J", 80, 0, 1, False)),
    ((1200, "II", "25", TIGHTENED), ("J", "H", 50, 18, 19, False)),  # up
    ((600_000, "III", "0.010", TIGHTENED), ("R", "R", 2000, 0, 1, False)),
    ((600_000, "III", "0.015", TIGHTENED), ("R", "Q", 1250, 0, 1, False)),  # up
    ((600_000, "III", "0.025", TIGHTENED), ("R", "S", 3150, 1, 2, False)),  # down to row S
    ((5, "II", "10", TIGHTENED), ("A", "D", 8, 1, 2, True)),  # no Ac 0 plan at AQL 10
    ((5, "II", "40", TIGHTENED), ("A", "A", 2, 1, 2, False)),
    ((5, "II", "1000", TIGHTENED), ("A", "A", 2, 27, 28, False)),
    ((10, "II", "1000", TIGHTENED), ("B", "B", 3, 41, 42, False)),
    # Reduced (Table II-C): Re > Ac + 1 from the fourth diagonal on
    ((2000, "II", "0.65", REDUCED), ("K", "K", 50, 1, 3, False)),
    ((1200, "II", "2.5", REDUCED), ("J", "J", 32, 2, 5, False)),
    ((1200, "II", "1.0", REDUCED), ("J", "J", 32, 1, 3, False)),
    ((1200, "II", "0.65", REDUCED), ("J", "J", 32, 0, 2, False)),
    ((1200, "II", "0.40", REDUCED), ("J", "K", 50, 0, 2, False)),  # down
    ((1200, "II", "0.25", REDUCED), ("J", "H", 20, 0, 1, False)),  # up
    ((1200, "II", "6.5", REDUCED), ("J", "J", 32, 5, 8, False)),
    ((1200, "II", "10", REDUCED), ("J", "J", 32, 7, 10, False)),
    ((10_000, "II", "6.5", REDUCED), ("L", "L", 80, 10, 13, False)),
    ((10_000, "II", "10", REDUCED), ("L", "K", 50, 10, 13, False)),  # up
    ((600_000, "III", "0.010", REDUCED), ("R", "Q", 500, 0, 1, False)),  # up
    ((8, "II", "1.0", REDUCED), ("A", "E", 5, 0, 1, False)),  # down; reduced n fits the lot
    ((600_000, "III", "0.025", REDUCED), ("R", "R", 800, 0, 2, False)),
]


@pytest.mark.parametrize(("query", "expected"), PLAN_POINTS)
def test_plan_published_points(
    query: tuple[int, str, str, InspectionSeverity], expected: tuple[Any, ...]
) -> None:
    found = plan(*query)
    assert (
        found.code_letter,
        found.code_letter_used,
        found.sample_size,
        found.acceptance_number,
        found.rejection_number,
        found.full_inspection,
    ) == expected


def test_plan_keeps_the_query() -> None:
    found = plan(1200, "II", "2.5")
    assert found == SamplingPlan(
        lot_size=1200,
        level=InspectionLevel.II,
        aql=Decimal("2.5"),
        severity=NORMAL,
        code_letter="J",
        code_letter_used="J",
        sample_size=80,
        acceptance_number=5,
        rejection_number=6,
        full_inspection=False,
    )
    assert found.units_to_inspect == 80
    assert plan(8, "II", "1.0").units_to_inspect == 8


def test_every_arrow_case_is_covered_by_the_points() -> None:
    cases = set()
    for (lot, level, aql, severity), _ in PLAN_POINTS:
        letter = code_letter(lot, level)
        row = CODE_LETTERS.index(letter)
        used = plan(lot, level, aql, severity)
        cases.add((severity, "no arrow" if used.code_letter_used == letter else "arrow"))
        rows = list(MASTER_TABLES[severity])
        if rows.index(used.code_letter_used) > row:
            cases.add((severity, "down"))
        if rows.index(used.code_letter_used) < row:
            cases.add((severity, "up"))
        if used.full_inspection:
            cases.add((severity, "100 %"))
    for severity in InspectionSeverity:
        assert {(severity, "down"), (severity, "up")} <= cases
    assert (NORMAL, "100 %") in cases
    assert (TIGHTENED, "100 %") in cases


# --- Master tables: construction --------------------------------------------------------------

# Each master table is built on diagonals: moving one code letter down and one AQL step left
# keeps the cell. The plans along the diagonals, from the first Ac 0 diagonal on:
DIAGONALS = {
    NORMAL: (14, ["0/1", "^", "v", "1/2", "2/3", "3/4", "5/6", "7/8", "10/11", "14/15", "21/22"]),
    TIGHTENED: (15, ["0/1", "v", "v", "1/2", "2/3", "3/4", "5/6", "8/9", "12/13", "18/19"]),
    REDUCED: (14, ["0/1", "^", "v", "0/2", "1/3", "1/4", "2/5", "3/6", "5/8", "7/10", "10/13"]),
}
# Plans only the high AQLs have (nonconformities per 100 units): AQL 150 gets one more diagonal,
# AQL 250 and above two more.
HIGH_AQL_PLANS = {
    NORMAL: ["30/31", "44/45"],
    TIGHTENED: ["27/28", "41/42"],
    REDUCED: ["14/17", "21/24"],
}
# Cells where the diagonal rule would point out of the table or put an Ac 0 plan at AQL 10, and
# the standard (or, where it prints an impossible arrow, this module) reads otherwise.
DIAGONAL_EXCEPTIONS = {
    (NORMAL, "A", "10"): "v",
    (NORMAL, "R", "0.015"): "^",
    (TIGHTENED, "A", "10"): "v",
    (TIGHTENED, "R", "0.015"): "^",
    (REDUCED, "A", "10"): "v",
    (REDUCED, "R", "0.015"): "^",
}


def _text(cell: AcRe | Arrow | None) -> str:
    if cell is None:
        return "."
    if isinstance(cell, Arrow):
        return cell.value
    return f"{cell.ac}/{cell.re}"


def _expected_cell(severity: InspectionSeverity, row: int, column: int) -> str:
    first, sequence = DIAGONALS[severity]
    sequence = sequence + HIGH_AQL_PLANS[severity][: max(0, column - 20)]
    diagonal = row + column - first
    if diagonal < 0:
        return "v"
    if diagonal >= len(sequence):
        return "^"
    return sequence[diagonal]


@pytest.mark.parametrize("severity", list(InspectionSeverity))
def test_master_table_follows_its_diagonals(severity: InspectionSeverity) -> None:
    table = MASTER_TABLES[severity]
    assert list(table)[: len(CODE_LETTERS)] == list(CODE_LETTERS)
    for row, letter in enumerate(CODE_LETTERS):
        assert len(table[letter]) == len(AQL_VALUES)
        for column, aql in enumerate(AQL_VALUES):
            expected = DIAGONAL_EXCEPTIONS.get(
                (severity, letter, str(aql)), _expected_cell(severity, row, column)
            )
            assert _text(table[letter][column]) == expected, (letter, str(aql))


def test_sample_sizes_follow_the_standards_series() -> None:
    normal = [SAMPLE_SIZES[NORMAL][letter] for letter in CODE_LETTERS]
    assert normal == [2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800, 1250, 2000]
    assert [SAMPLE_SIZES[TIGHTENED][letter] for letter in CODE_LETTERS] == normal
    # Reduced inspection takes the sample of the code letter two rows up, never less than 2.
    reduced = [SAMPLE_SIZES[REDUCED][letter] for letter in CODE_LETTERS]
    assert reduced == [2, 2, *normal[:-2]]


def test_tightened_row_s_has_only_the_plan_for_aql_0_025() -> None:
    row = MASTER_TABLES[TIGHTENED]["S"]
    assert [(str(aql), _text(cell)) for aql, cell in zip(AQL_VALUES, row, strict=True) if cell] == [
        ("0.025", "1/2")
    ]
    assert SAMPLE_SIZES[TIGHTENED]["S"] == 3150


@pytest.mark.parametrize("severity", list(InspectionSeverity))
def test_every_cell_resolves_to_a_plan_inside_the_table(severity: InspectionSeverity) -> None:
    table = MASTER_TABLES[severity]
    for letter in CODE_LETTERS:
        for aql in AQL_VALUES:
            used, limits = resolve(severity, letter, aql)
            cell = table[used][AQL_VALUES.index(aql)]
            assert cell == limits
            if isinstance(table[letter][AQL_VALUES.index(aql)], AcRe):
                assert used == letter


@pytest.mark.parametrize("severity", [NORMAL, TIGHTENED])
def test_normal_and_tightened_plans_have_no_gap(severity: InspectionSeverity) -> None:
    for cells in MASTER_TABLES[severity].values():
        for cell in cells:
            if isinstance(cell, AcRe):
                assert cell.re == cell.ac + 1


def test_reduced_plans_are_the_standards_pairs() -> None:
    pairs = {_text(cell) for cells in MASTER_TABLES[REDUCED].values() for cell in cells if cell} - {
        "v",
        "^",
    }
    assert pairs == {
        "0/1", "0/2", "1/3", "1/4", "2/5", "3/6", "5/8", "7/10", "10/13", "14/17", "21/24"
    }  # fmt: skip


@pytest.mark.parametrize("severity", list(InspectionSeverity))
def test_acceptance_numbers_grow_along_rows_and_columns(severity: InspectionSeverity) -> None:
    table = MASTER_TABLES[severity]
    for cells in table.values():
        row = [cell.ac for cell in cells if isinstance(cell, AcRe)]
        assert row == sorted(row)
    for column in range(len(AQL_VALUES)):
        plans = [cells[column] for cells in table.values()]
        ac = [cell.ac for cell in plans if isinstance(cell, AcRe)]
        assert ac == sorted(ac)
        resolved = [resolve(severity, letter, AQL_VALUES[column]) for letter in CODE_LETTERS]
        sizes = [SAMPLE_SIZES[severity][used] for used, _ in resolved]
        assert sizes == sorted(sizes)


def test_tightened_is_never_looser_and_reduced_never_samples_more_than_normal() -> None:
    for letter in CODE_LETTERS:
        for aql in AQL_VALUES:
            normal_letter, normal = resolve(NORMAL, letter, aql)
            normal_n = SAMPLE_SIZES[NORMAL][normal_letter]
            tight_letter, tight = resolve(TIGHTENED, letter, aql)
            tight_n = SAMPLE_SIZES[TIGHTENED][tight_letter]
            assert tight_n >= normal_n, (letter, aql)
            if tight_n == normal_n:
                assert tight.ac <= normal.ac, (letter, aql)
            reduced_letter, _ = resolve(REDUCED, letter, aql)
            assert SAMPLE_SIZES[REDUCED][reduced_letter] <= normal_n, (letter, aql)


def test_every_normal_plan_with_ac_2_or_more_has_a_plan_one_aql_step_tighter() -> None:
    for cells in MASTER_TABLES[NORMAL].values():
        for column, cell in enumerate(cells):
            if isinstance(cell, AcRe) and cell.ac >= 2:
                tighter = cells[column - 1]
                assert isinstance(tighter, AcRe)
                assert tighter.ac < cell.ac


# --- Input validation -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"lot_size": 1}, "lot_size"),
        ({"lot_size": 0}, "lot_size"),
        ({"lot_size": -10}, "lot_size"),
        ({"lot_size": True}, "lot_size"),
        ({"lot_size": 2.5}, "lot_size"),
        ({"level": "IV"}, "level"),
        ({"level": ""}, "level"),
        ({"level": "S-5"}, "level"),
        ({"aql": "0.5"}, "aql"),
        ({"aql": "abc"}, "aql"),
        ({"aql": "NaN"}, "aql"),
        ({"aql": "Infinity"}, "aql"),
        ({"aql": ""}, "aql"),
        ({"aql": "2000"}, "aql"),
        ({"severity": "strict"}, "severity"),
    ],
)
def test_plan_refuses_bad_input_naming_the_field(kwargs: dict[str, Any], field: str) -> None:
    query: dict[str, Any] = {"lot_size": 1200, "level": "II", "aql": "2.5"} | kwargs
    with pytest.raises(InvalidInputError, match=f"^{field} "):
        plan(**query)


def test_equal_aqls_and_level_spellings_give_the_same_plan() -> None:
    base = plan(1200, InspectionLevel.II, Decimal("1.0"))
    assert plan(1200, "II", "1") == base
    assert plan(1200, "ii", " 1.00 ") == base
    assert plan(1200, "II", "0.01").aql == Decimal("0.010")
    assert plan(1200, "S3", "1.0") == plan(1200, "S-3", "1.0") == plan(1200, "s-3", "1.0")
    assert plan(1200, "II", "2.5", "tightened") == plan(1200, "II", "2.5", TIGHTENED)


# --- Verdicts -----------------------------------------------------------------------------------


def test_judge_normal_and_tightened_at_the_limits() -> None:
    normal = plan(1200, "II", "2.5")
    assert [judge(normal, defects) for defects in (0, 5, 6, 80)] == [
        Result.PASS,
        Result.PASS,
        Result.FAIL,
        Result.FAIL,
    ]
    tightened = plan(1200, "II", "2.5", TIGHTENED)
    assert [judge(tightened, defects) for defects in (3, 4)] == [Result.PASS, Result.FAIL]


def test_judge_reduced_between_ac_and_re_passes_but_reinstates_normal() -> None:
    reduced = plan(1200, "II", "4.0", REDUCED)  # n 32, Ac 3, Re 6
    assert (reduced.acceptance_number, reduced.rejection_number) == (3, 6)
    assert [judge(reduced, defects) for defects in range(7)] == [
        *[Result.PASS] * 4,
        Result.PASS_REINSTATE_NORMAL,
        Result.PASS_REINSTATE_NORMAL,
        Result.FAIL,
    ]
    zero_two = plan(1200, "II", "0.65", REDUCED)  # Ac 0, Re 2
    assert [judge(zero_two, defects) for defects in (0, 1, 2)] == [
        Result.PASS,
        Result.PASS_REINSTATE_NORMAL,
        Result.FAIL,
    ]


@pytest.mark.parametrize("defects", [-1, True, 1.5, "2"])
def test_judge_refuses_bad_defect_counts(defects: Any) -> None:
    with pytest.raises(InvalidInputError, match=r"^defects_found "):
        judge(plan(1200, "II", "2.5"), defects)


# --- Switching rules ----------------------------------------------------------------------------


def _lot(
    severity: InspectionSeverity = NORMAL,
    result: Result = Result.PASS,
    *,
    ac: int = 0,
    tighter: bool = False,
    original: bool = True,
) -> LotOutcome:
    return LotOutcome(
        severity=severity,
        result=result,
        acceptance_number=ac,
        accepted_one_step_tighter=tighter,
        original_inspection=original,
    )


ACCEPTED = _lot()
NOT_ACCEPTED = _lot(result=Result.FAIL)


def _run(state: SwitchingState, *lots: LotOutcome, **flags: bool) -> SwitchingState:
    for lot in lots:
        state = next_state(state, lot, **flags)
    return state


def test_initial_state_is_normal_and_storable() -> None:
    state = initial_state()
    assert state == {
        "severity": "normal",
        "switching_score": 0,
        "normal_recent": "",
        "tightened_accepted_run": 0,
        "tightened_not_accepted": 0,
    }
    assert json.loads(json.dumps(state)) == state
    assert all(isinstance(value, str | int) for value in state.values())
    assert initial_state("tightened")["severity"] == "tightened"


@pytest.mark.parametrize("accepted_between", [0, 1, 2, 3])
def test_normal_to_tightened_two_not_accepted_within_five(accepted_between: int) -> None:
    state = _run(initial_state(), ACCEPTED, NOT_ACCEPTED, *[ACCEPTED] * accepted_between)
    assert state["severity"] == "normal"
    assert next_state(state, NOT_ACCEPTED) == initial_state("tightened")


def test_normal_stays_when_the_two_not_accepted_lots_are_six_apart() -> None:
    state = _run(initial_state(), NOT_ACCEPTED, *[ACCEPTED] * 4, NOT_ACCEPTED)
    assert state["severity"] == "normal"
    assert state["normal_recent"] == "AAAN"
    assert next_state(state, NOT_ACCEPTED)["severity"] == "tightened"


def test_switching_score_ac_0_or_1_adds_2_per_accepted_lot() -> None:
    lots = [ACCEPTED] * 14
    state = _run(initial_state(), *lots, reduced_approved=True)
    assert (state["severity"], state["switching_score"]) == ("normal", 28)
    assert next_state(state, ACCEPTED, reduced_approved=True) == initial_state("reduced")
    one = _lot(ac=1)
    assert _run(initial_state(), *[one] * 15, reduced_approved=True)["severity"] == "reduced"


def test_switching_score_ac_2_or_more_adds_3_only_if_accepted_one_step_tighter() -> None:
    good = _lot(ac=5, tighter=True)
    state = _run(initial_state(), *[good] * 9, reduced_approved=True)
    assert (state["severity"], state["switching_score"]) == ("normal", 27)
    merely_accepted = _lot(ac=5, tighter=False)
    assert next_state(state, merely_accepted)["switching_score"] == 0
    assert next_state(state, merely_accepted)["normal_recent"] == "AAAA"
    assert next_state(state, good, reduced_approved=True)["severity"] == "reduced"


def test_switching_score_resets_on_a_lot_not_accepted() -> None:
    state = _run(initial_state(), *[ACCEPTED] * 10, NOT_ACCEPTED)
    assert (state["severity"], state["switching_score"], state["normal_recent"]) == (
        "normal",
        0,
        "AAAN",
    )


def test_normal_to_reduced_needs_steady_production_and_the_authority() -> None:
    state = _run(initial_state(), *[ACCEPTED] * 20)
    assert (state["severity"], state["switching_score"]) == ("normal", 40)
    assert next_state(state, ACCEPTED, production_steady=False, reduced_approved=True)[
        "severity"
    ] == ("normal")
    assert next_state(state, ACCEPTED, reduced_approved=True)["severity"] == "reduced"


def test_lot_outcome_reads_the_plan_one_aql_step_tighter() -> None:
    normal = plan(1200, "II", "2.5")  # J: Ac 5; AQL 1.5 at J: Ac 3
    assert [lot_outcome(normal, d).accepted_one_step_tighter for d in (3, 4, 5)] == [
        True,
        False,
        False,
    ]
    assert lot_outcome(normal, 6).result is Result.FAIL
    low = lot_outcome(plan(1200, "II", "0.65"), 1)  # Ac 1: the rule does not look tighter
    assert (low.acceptance_number, low.accepted_one_step_tighter) == (1, False)
    reduced = lot_outcome(plan(1200, "II", "4.0", REDUCED), 4, original_inspection=False)
    assert (reduced.severity, reduced.result, reduced.original_inspection) == (
        REDUCED,
        Result.PASS_REINSTATE_NORMAL,
        False,
    )


def test_tightened_to_normal_after_five_consecutive_accepted() -> None:
    tight_ok = _lot(TIGHTENED)
    tight_bad = _lot(TIGHTENED, Result.FAIL)
    state = _run(initial_state("tightened"), *[tight_ok] * 4)
    assert (state["severity"], state["tightened_accepted_run"]) == ("tightened", 4)
    assert next_state(state, tight_ok) == initial_state()
    broken = _run(state, tight_bad, *[tight_ok] * 4)
    assert (broken["severity"], broken["tightened_accepted_run"]) == ("tightened", 4)
    assert broken["tightened_not_accepted"] == 1


def test_tightened_to_discontinued_after_five_not_accepted_in_all() -> None:
    tight_ok = _lot(TIGHTENED)
    tight_bad = _lot(TIGHTENED, Result.FAIL)
    state = _run(initial_state("tightened"), *[tight_bad, tight_ok] * 4)
    assert (state["severity"], state["tightened_not_accepted"]) == ("tightened", 4)
    stopped = next_state(state, tight_bad)
    assert stopped["severity"] == DISCONTINUED
    with pytest.raises(InvalidInputError, match=r"^state\.severity is discontinued"):
        next_state(stopped, tight_ok)
    assert resume(stopped) == initial_state("tightened")
    with pytest.raises(InvalidInputError, match=r"^state\.severity is tightened"):
        resume(resume(stopped))


@pytest.mark.parametrize(
    ("result", "flags", "severity"),
    [
        (Result.PASS, {}, "reduced"),
        (Result.FAIL, {}, "normal"),
        (Result.PASS_REINSTATE_NORMAL, {}, "normal"),
        (Result.PASS, {"production_steady": False}, "normal"),
        (Result.PASS, {"normal_required": True}, "normal"),
    ],
)
def test_reduced_to_normal(result: Result, flags: dict[str, bool], severity: str) -> None:
    after = next_state(initial_state("reduced"), _lot(REDUCED, result), **flags)
    assert after["severity"] == severity
    if severity == "normal":
        assert after == initial_state()


def test_every_switch_starts_the_new_severity_afresh() -> None:
    state = _run(initial_state(), *[ACCEPTED] * 10, NOT_ACCEPTED, ACCEPTED, NOT_ACCEPTED)
    assert state == initial_state("tightened")
    state = _run(state, *[_lot(TIGHTENED, Result.FAIL)] * 2, *[_lot(TIGHTENED)] * 5)
    assert state == initial_state()


def test_resubmitted_lots_do_not_count() -> None:
    state = _run(initial_state(), NOT_ACCEPTED)
    assert next_state(state, _lot(result=Result.FAIL, original=False)) == state
    tight = initial_state("tightened")
    assert next_state(tight, _lot(TIGHTENED, Result.FAIL, original=False)) == tight


def test_outcome_must_be_inspected_under_the_states_severity() -> None:
    with pytest.raises(InvalidInputError, match=r"^outcome\.severity is tightened"):
        next_state(initial_state(), _lot(TIGHTENED))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"severity": "strict"}, "state.severity"),
        ({"switching_score": -1}, "state.switching_score"),
        ({"switching_score": True}, "state.switching_score"),
        ({"switching_score": "3"}, "state.switching_score"),
        ({"normal_recent": "AAAAA"}, "state.normal_recent"),
        ({"normal_recent": "AX"}, "state.normal_recent"),
        ({"normal_recent": 3}, "state.normal_recent"),
        ({"tightened_accepted_run": 5}, "state.tightened_accepted_run"),
        ({"tightened_not_accepted": 5}, "state.tightened_not_accepted"),
        ({"extra": 1}, "state must have exactly the keys"),
    ],
)
def test_stored_state_is_checked(change: dict[str, object], field: str) -> None:
    state: dict[str, object] = {**initial_state(), **change}
    with pytest.raises(InvalidInputError, match=f"^{field}"):
        next_state(state, ACCEPTED)


def test_missing_state_key_is_refused() -> None:
    state: dict[str, object] = dict(initial_state())
    del state["normal_recent"]
    with pytest.raises(InvalidInputError, match=r"^state must have exactly the keys"):
        next_state(state, ACCEPTED)
