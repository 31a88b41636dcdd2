"""Single sampling by attributes after ISO 2859-1 / ANSI/ASQ Z1.4: plans and switching rules.

Pure logic, no I/O: the sample size code letters (Table I), the single sampling master tables for
normal, tightened and reduced inspection (Tables II-A, II-B, II-C) with their arrows, the verdict
on a lot, and the switching rules (ISO 2859-1 9.3, 9.4) as a state machine over a small dict that
a node can hold as properties. ``docs/sampling.md`` gives the sources and the choices made.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import Enum, StrEnum
from types import MappingProxyType
from typing import Final, NamedTuple, TypedDict

from tracegraph.errors import InvalidInputError


class InspectionLevel(StrEnum):
    """Special levels S-1..S-4 (small samples, high risk) and general levels I..III."""

    S1 = "S-1"
    S2 = "S-2"
    S3 = "S-3"
    S4 = "S-4"
    I = "I"  # noqa: E741 - the standard's own name for general level I
    II = "II"
    III = "III"


class InspectionSeverity(StrEnum):
    """Which master table applies (named apart from the quality issues' ``Severity``)."""

    NORMAL = "normal"
    TIGHTENED = "tightened"
    REDUCED = "reduced"


class Result(StrEnum):
    PASS = "pass"  # noqa: S105 - a verdict, not a password; defects <= Ac
    FAIL = "fail"  # defects >= Re
    # Only reduced plans have Re > Ac + 1: a count between them accepts this lot, and the
    # switching rules then reinstate normal inspection.
    PASS_REINSTATE_NORMAL = "pass_reinstate_normal"  # noqa: S105 - a verdict


class Arrow(Enum):
    """A master table cell without a plan: use the first plan below (DOWN) or above (UP)."""

    DOWN = "v"
    UP = "^"


class AcRe(NamedTuple):
    ac: int
    re: int


Cell = AcRe | Arrow | None  # None: a blank cell (only row S of the tightened table has them)

AQL_VALUES: Final = tuple(
    Decimal(text)
    for text in [
        *("0.010", "0.015", "0.025", "0.040", "0.065", "0.10", "0.15", "0.25", "0.40", "0.65"),
        *("1.0", "1.5", "2.5", "4.0", "6.5", "10", "15", "25", "40", "65", "100", "150", "250"),
        *("400", "650", "1000"),
    ]
)
LEVELS: Final = tuple(InspectionLevel)
CODE_LETTERS: Final = "ABCDEFGHJKLMNPQR"  # what Table I can give; tightened adds S below R

# Table I. Columns: the lot size range, then the code letter for S-1 S-2 S-3 S-4, I II III.
_TABLE_I = """
         2       8    A A A A  A A B
         9      15    A A A A  A B C
        16      25    A A B B  B C D
        26      50    A B B C  C D E
        51      90    B B C C  C E F
        91     150    B B C D  D F G
       151     280    B C D E  E G H
       281     500    B C D E  F H J
       501    1200    C C E F  G J K
      1201    3200    C D E G  H K L
      3201   10000    C D F G  J L M
     10001   35000    C D F H  K M N
     35001  150000    D E G J  L N P
    150001  500000    D E G J  M P Q
    500001       -    D E H K  N Q R
"""

# The sample size column of Tables II-A, II-B and II-C.
SAMPLE_SIZES: Final[Mapping[InspectionSeverity, Mapping[str, int]]] = MappingProxyType(
    {
        InspectionSeverity.NORMAL: dict(
            zip(
                CODE_LETTERS,
                (2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800, 1250, 2000),
                strict=True,
            )
        ),
        InspectionSeverity.TIGHTENED: dict(
            zip(
                CODE_LETTERS + "S",
                (2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800, 1250, 2000, 3150),
                strict=True,
            )
        ),
        InspectionSeverity.REDUCED: dict(
            zip(
                CODE_LETTERS,
                (2, 2, 2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800),
                strict=True,
            )
        ),
    }
)

# The master tables as printed, split in two halves to fit the page: "Ac/Re" is a plan, "v" and
# "^" are the arrows, "." a blank cell. Where the standard's arrow would leave the table (a "^" in
# row A, a "v" under the last row) the arrow is turned so that it reaches a plan; docs/sampling.md
# lists those cells.
_NORMAL = (
    """
    # 0.010 0.015 0.025 0.040 0.065  0.10  0.15  0.25  0.40  0.65   1.0   1.5   2.5
    A     v     v     v     v     v     v     v     v     v     v     v     v     v
    B     v     v     v     v     v     v     v     v     v     v     v     v     v
    C     v     v     v     v     v     v     v     v     v     v     v     v   0/1
    D     v     v     v     v     v     v     v     v     v     v     v   0/1     ^
    E     v     v     v     v     v     v     v     v     v     v   0/1     ^     v
    F     v     v     v     v     v     v     v     v     v   0/1     ^     v   1/2
    G     v     v     v     v     v     v     v     v   0/1     ^     v   1/2   2/3
    H     v     v     v     v     v     v     v   0/1     ^     v   1/2   2/3   3/4
    J     v     v     v     v     v     v   0/1     ^     v   1/2   2/3   3/4   5/6
    K     v     v     v     v     v   0/1     ^     v   1/2   2/3   3/4   5/6   7/8
    L     v     v     v     v   0/1     ^     v   1/2   2/3   3/4   5/6   7/8 10/11
    M     v     v     v   0/1     ^     v   1/2   2/3   3/4   5/6   7/8 10/11 14/15
    N     v     v   0/1     ^     v   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22
    P     v   0/1     ^     v   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22     ^
    Q   0/1     ^     v   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22     ^     ^
    R     ^     ^   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22     ^     ^     ^
""",
    """
    #   4.0   6.5    10    15    25    40    65   100   150   250   400   650  1000
    A     v   0/1     v     v   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22 30/31
    B   0/1     ^     v   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22 30/31 44/45
    C     ^     v   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22 30/31 44/45     ^
    D     v   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22 30/31 44/45     ^     ^
    E   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22 30/31 44/45     ^     ^     ^
    F   2/3   3/4   5/6   7/8 10/11 14/15 21/22     ^     ^     ^     ^     ^     ^
    G   3/4   5/6   7/8 10/11 14/15 21/22     ^     ^     ^     ^     ^     ^     ^
    H   5/6   7/8 10/11 14/15 21/22     ^     ^     ^     ^     ^     ^     ^     ^
    J   7/8 10/11 14/15 21/22     ^     ^     ^     ^     ^     ^     ^     ^     ^
    K 10/11 14/15 21/22     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^
    L 14/15 21/22     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^
    M 21/22     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^
    N     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^
    P     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^
    Q     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^
    R     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^
""",
)

_TIGHTENED = (
    """
    # 0.010 0.015 0.025 0.040 0.065  0.10  0.15  0.25  0.40  0.65   1.0   1.5   2.5
    A     v     v     v     v     v     v     v     v     v     v     v     v     v
    B     v     v     v     v     v     v     v     v     v     v     v     v     v
    C     v     v     v     v     v     v     v     v     v     v     v     v     v
    D     v     v     v     v     v     v     v     v     v     v     v     v   0/1
    E     v     v     v     v     v     v     v     v     v     v     v   0/1     v
    F     v     v     v     v     v     v     v     v     v     v   0/1     v     v
    G     v     v     v     v     v     v     v     v     v   0/1     v     v   1/2
    H     v     v     v     v     v     v     v     v   0/1     v     v   1/2   2/3
    J     v     v     v     v     v     v     v   0/1     v     v   1/2   2/3   3/4
    K     v     v     v     v     v     v   0/1     v     v   1/2   2/3   3/4   5/6
    L     v     v     v     v     v   0/1     v     v   1/2   2/3   3/4   5/6   8/9
    M     v     v     v     v   0/1     v     v   1/2   2/3   3/4   5/6   8/9 12/13
    N     v     v     v   0/1     v     v   1/2   2/3   3/4   5/6   8/9 12/13 18/19
    P     v     v   0/1     v     v   1/2   2/3   3/4   5/6   8/9 12/13 18/19     ^
    Q     v   0/1     v     v   1/2   2/3   3/4   5/6   8/9 12/13 18/19     ^     ^
    R   0/1     ^     v   1/2   2/3   3/4   5/6   8/9 12/13 18/19     ^     ^     ^
    S     .     .   1/2     .     .     .     .     .     .     .     .     .     .
""",
    """
    #   4.0   6.5    10    15    25    40    65   100   150   250   400   650  1000
    A     v     v     v     v     v   1/2   2/3   3/4   5/6   8/9 12/13 18/19 27/28
    B     v   0/1     v     v   1/2   2/3   3/4   5/6   8/9 12/13 18/19 27/28 41/42
    C   0/1     v     v   1/2   2/3   3/4   5/6   8/9 12/13 18/19 27/28 41/42     ^
    D     v     v   1/2   2/3   3/4   5/6   8/9 12/13 18/19 27/28 41/42     ^     ^
    E     v   1/2   2/3   3/4   5/6   8/9 12/13 18/19 27/28 41/42     ^     ^     ^
    F   1/2   2/3   3/4   5/6   8/9 12/13 18/19     ^     ^     ^     ^     ^     ^
    G   2/3   3/4   5/6   8/9 12/13 18/19     ^     ^     ^     ^     ^     ^     ^
    H   3/4   5/6   8/9 12/13 18/19     ^     ^     ^     ^     ^     ^     ^     ^
    J   5/6   8/9 12/13 18/19     ^     ^     ^     ^     ^     ^     ^     ^     ^
    K   8/9 12/13 18/19     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^
    L 12/13 18/19     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^
    M 18/19     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^
    N     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^
    P     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^
    Q     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^
    R     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^
    S     .     .     .     .     .     .     .     .     .     .     .     .     .
""",
)

_REDUCED = (
    """
    # 0.010 0.015 0.025 0.040 0.065  0.10  0.15  0.25  0.40  0.65   1.0   1.5   2.5
    A     v     v     v     v     v     v     v     v     v     v     v     v     v
    B     v     v     v     v     v     v     v     v     v     v     v     v     v
    C     v     v     v     v     v     v     v     v     v     v     v     v   0/1
    D     v     v     v     v     v     v     v     v     v     v     v   0/1     ^
    E     v     v     v     v     v     v     v     v     v     v   0/1     ^     v
    F     v     v     v     v     v     v     v     v     v   0/1     ^     v   0/2
    G     v     v     v     v     v     v     v     v   0/1     ^     v   0/2   1/3
    H     v     v     v     v     v     v     v   0/1     ^     v   0/2   1/3   1/4
    J     v     v     v     v     v     v   0/1     ^     v   0/2   1/3   1/4   2/5
    K     v     v     v     v     v   0/1     ^     v   0/2   1/3   1/4   2/5   3/6
    L     v     v     v     v   0/1     ^     v   0/2   1/3   1/4   2/5   3/6   5/8
    M     v     v     v   0/1     ^     v   0/2   1/3   1/4   2/5   3/6   5/8  7/10
    N     v     v   0/1     ^     v   0/2   1/3   1/4   2/5   3/6   5/8  7/10 10/13
    P     v   0/1     ^     v   0/2   1/3   1/4   2/5   3/6   5/8  7/10 10/13     ^
    Q   0/1     ^     v   0/2   1/3   1/4   2/5   3/6   5/8  7/10 10/13     ^     ^
    R     ^     ^   0/2   1/3   1/4   2/5   3/6   5/8  7/10 10/13     ^     ^     ^
""",
    """
    #   4.0   6.5    10    15    25    40    65   100   150   250   400   650  1000
    A     v   0/1     v     v   0/2   1/3   1/4   2/5   3/6   5/8  7/10 10/13 14/17
    B   0/1     ^     v   0/2   1/3   1/4   2/5   3/6   5/8  7/10 10/13 14/17 21/24
    C     ^     v   0/2   1/3   1/4   2/5   3/6   5/8  7/10 10/13 14/17 21/24     ^
    D     v   0/2   1/3   1/4   2/5   3/6   5/8  7/10 10/13 14/17 21/24     ^     ^
    E   0/2   1/3   1/4   2/5   3/6   5/8  7/10 10/13 14/17 21/24     ^     ^     ^
    F   1/3   1/4   2/5   3/6   5/8  7/10 10/13     ^     ^     ^     ^     ^     ^
    G   1/4   2/5   3/6   5/8  7/10 10/13     ^     ^     ^     ^     ^     ^     ^
    H   2/5   3/6   5/8  7/10 10/13     ^     ^     ^     ^     ^     ^     ^     ^
    J   3/6   5/8  7/10 10/13     ^     ^     ^     ^     ^     ^     ^     ^     ^
    K   5/8  7/10 10/13     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^
    L  7/10 10/13     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^
    M 10/13     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^
    N     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^
    P     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^
    Q     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^
    R     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^
""",
)


def _parse_cell(text: str) -> Cell:
    if text == ".":
        return None
    if text in ("v", "^"):
        return Arrow(text)
    ac, re = text.split("/")
    return AcRe(int(ac), int(re))


def _parse_master(halves: tuple[str, str]) -> Mapping[str, tuple[Cell, ...]]:
    rows: dict[str, list[Cell]] = {}
    for half in halves:
        for line in half.strip().splitlines():
            letter, *tokens = line.split()
            if letter == "#":
                continue
            if len(tokens) != len(AQL_VALUES) // 2:
                raise ValueError(f"master table row {letter}: {len(tokens)} cells")
            rows.setdefault(letter, []).extend(_parse_cell(text) for text in tokens)
    return MappingProxyType({letter: tuple(cells) for letter, cells in rows.items()})


def _parse_table_i(text: str) -> tuple[tuple[int, str], ...]:
    """(largest lot size of the range, letters for the levels in LEVELS order) per range."""
    ranges = []
    for line in text.strip().splitlines():
        _, upper, *letters = line.split()
        ranges.append((10**18 if upper == "-" else int(upper), "".join(letters)))
    return tuple(ranges)


MASTER_TABLES: Final[Mapping[InspectionSeverity, Mapping[str, tuple[Cell, ...]]]] = (
    MappingProxyType(
        {
            InspectionSeverity.NORMAL: _parse_master(_NORMAL),
            InspectionSeverity.TIGHTENED: _parse_master(_TIGHTENED),
            InspectionSeverity.REDUCED: _parse_master(_REDUCED),
        }
    )
)
_CODE_LETTER_RANGES: Final = _parse_table_i(_TABLE_I)


@dataclass(frozen=True)
class SamplingPlan:
    lot_size: int
    level: InspectionLevel
    aql: Decimal
    severity: InspectionSeverity
    code_letter: str  # from Table I
    code_letter_used: str  # after following the arrows; gives the sample size
    sample_size: int
    acceptance_number: int
    rejection_number: int
    # The standard: "if sample size equals or exceeds lot size, carry out 100 % inspection".
    full_inspection: bool

    @property
    def units_to_inspect(self) -> int:
        return min(self.sample_size, self.lot_size)


def inspection_level(value: InspectionLevel | str) -> InspectionLevel:
    """The level named by ``value``: "II", "S-3", and the GraphQL spelling "S3" too."""
    if isinstance(value, InspectionLevel):
        return value
    text = str(value).strip().upper()
    for level in InspectionLevel:
        if text in (level.value, level.name):
            return level
    names = ", ".join(level.value for level in InspectionLevel)
    raise InvalidInputError(f"level must be one of {names}, got {value!r}")


def aql_value(value: Decimal | str) -> Decimal:
    """``value`` as one of the standard's AQLs; "1", "1.0" and Decimal("1.00") are the same."""
    try:
        number = Decimal(value.strip() if isinstance(value, str) else value)
    except (InvalidOperation, TypeError, ValueError):
        raise InvalidInputError(f"aql must be a number, got {value!r}") from None
    for aql in AQL_VALUES:
        if number.is_finite() and number == aql:
            return aql
    names = ", ".join(str(aql) for aql in AQL_VALUES)
    raise InvalidInputError(f"aql must be one of the standard's values ({names}), got {value}")


def inspection_severity(value: InspectionSeverity | str) -> InspectionSeverity:
    try:
        return InspectionSeverity(value)
    except ValueError:
        names = ", ".join(severity.value for severity in InspectionSeverity)
        raise InvalidInputError(f"severity must be one of {names}, got {value!r}") from None


def _lot_size(value: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidInputError(f"lot_size must be a whole number, got {value!r}")
    if value < 2:
        raise InvalidInputError(f"lot_size must be at least 2, got {value}")
    return value


def code_letter(lot_size: int, level: InspectionLevel | str) -> str:
    """Table I: the sample size code letter for a lot of ``lot_size`` units at ``level``."""
    size = _lot_size(lot_size)
    column = LEVELS.index(inspection_level(level))
    return next(letters[column] for upper, letters in _CODE_LETTER_RANGES if size <= upper)


def resolve(severity: InspectionSeverity, letter: str, aql: Decimal) -> tuple[str, AcRe]:
    """Follow the arrows from the cell (letter, aql) to the first plan: (its row, Ac/Re)."""
    table = MASTER_TABLES[severity]
    rows = list(table)
    column = AQL_VALUES.index(aql)
    row = rows.index(letter)
    while True:
        cell = table[rows[row]][column]
        if isinstance(cell, AcRe):
            return rows[row], cell
        if cell is None:  # the tables' tests show that no arrow leads here
            raise AssertionError(f"{severity} table: blank cell {rows[row]} / {aql}")
        row += 1 if cell is Arrow.DOWN else -1


def plan(
    lot_size: int,
    level: InspectionLevel | str,
    aql: Decimal | str,
    severity: InspectionSeverity | str = InspectionSeverity.NORMAL,
) -> SamplingPlan:
    """The single sampling plan of the standard for one lot."""
    size = _lot_size(lot_size)
    chosen_level = inspection_level(level)
    chosen_aql = aql_value(aql)
    chosen_severity = inspection_severity(severity)
    letter = code_letter(size, chosen_level)
    used, limits = resolve(chosen_severity, letter, chosen_aql)
    sample_size = SAMPLE_SIZES[chosen_severity][used]
    return SamplingPlan(
        lot_size=size,
        level=chosen_level,
        aql=chosen_aql,
        severity=chosen_severity,
        code_letter=letter,
        code_letter_used=used,
        sample_size=sample_size,
        acceptance_number=limits.ac,
        rejection_number=limits.re,
        full_inspection=sample_size >= size,
    )


def _defects(value: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidInputError(f"defects_found must be a whole number, got {value!r}")
    if value < 0:
        raise InvalidInputError(f"defects_found must be 0 or more, got {value}")
    return value


def judge(sampling_plan: SamplingPlan, defects_found: int) -> Result:
    """Accept with at most Ac defects, reject with Re or more; reduced plans have a gap between."""
    defects = _defects(defects_found)
    if defects <= sampling_plan.acceptance_number:
        return Result.PASS
    if defects >= sampling_plan.rejection_number:
        return Result.FAIL
    return Result.PASS_REINSTATE_NORMAL


# Switching rules (ISO 2859-1:1999 9.3 and 9.4), kept per supplier and part number.

DISCONTINUED: Final = "discontinued"  # 9.4: no lot is inspected until the supplier has acted
TIGHTEN_AFTER: Final = 2  # lots not accepted ...
TIGHTEN_WINDOW: Final = 5  # ... within this many consecutive lots on normal inspection
RELAX_AFTER: Final = 5  # consecutive lots accepted on tightened inspection
DISCONTINUE_AFTER: Final = 5  # lots not accepted on tightened inspection, in all
REDUCE_AT_SCORE: Final = 30


class SwitchingState(TypedDict):
    """Only strings and integers, so that a node can hold it as its properties."""

    severity: str  # an InspectionSeverity value or DISCONTINUED
    switching_score: int  # 9.3.3.2, counted on normal inspection only
    # The last lots on normal inspection, oldest first: "A" accepted, "N" not accepted; at most
    # TIGHTEN_WINDOW - 1 are kept, which is all the 2-in-5 rule needs.
    normal_recent: str
    tightened_accepted_run: int  # consecutive lots accepted on tightened inspection
    tightened_not_accepted: int  # lots not accepted since tightened inspection began


@dataclass(frozen=True)
class LotOutcome:
    """What the switching rules need to know about one inspected lot."""

    severity: InspectionSeverity
    result: Result
    acceptance_number: int
    # Ac >= 2 on normal inspection: would the lot have been accepted with the AQL one step
    # tighter, on the same sample (9.3.3.2 a 1)? False where the rule does not use it.
    accepted_one_step_tighter: bool
    # Resubmitted lots do not count for the switching rules ("on original inspection").
    original_inspection: bool = True


def lot_outcome(
    sampling_plan: SamplingPlan, defects_found: int, *, original_inspection: bool = True
) -> LotOutcome:
    result = judge(sampling_plan, defects_found)
    tighter = False
    if sampling_plan.severity is InspectionSeverity.NORMAL and sampling_plan.acceptance_number >= 2:
        # Ac >= 2 lies at least two diagonals past Ac 0, so the cell one column to the left in
        # the same row (same sample size) is a plan; the table tests check this for every cell.
        column = AQL_VALUES.index(sampling_plan.aql)
        cell = MASTER_TABLES[InspectionSeverity.NORMAL][sampling_plan.code_letter_used][column - 1]
        if not isinstance(cell, AcRe):
            raise AssertionError(f"no plan one AQL step tighter than {sampling_plan}")
        tighter = defects_found <= cell.ac
    return LotOutcome(
        severity=sampling_plan.severity,
        result=result,
        acceptance_number=sampling_plan.acceptance_number,
        accepted_one_step_tighter=tighter,
        original_inspection=original_inspection,
    )


def _fresh(severity: str) -> SwitchingState:
    return SwitchingState(
        severity=severity,
        switching_score=0,
        normal_recent="",
        tightened_accepted_run=0,
        tightened_not_accepted=0,
    )


def initial_state(
    severity: InspectionSeverity | str = InspectionSeverity.NORMAL,
) -> SwitchingState:
    """Inspection starts on normal unless the responsible authority says otherwise (9.2)."""
    return _fresh(inspection_severity(severity).value)


def _count(state: Mapping[str, object], key: str, most: int) -> int:
    value = state[key]
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= most:
        raise InvalidInputError(f"state.{key} must be a whole number 0..{most}, got {value!r}")
    return value


def switching_state(state: Mapping[str, object]) -> SwitchingState:
    """``state`` checked (as read back from a node): every key, type and range."""
    expected = set(SwitchingState.__annotations__)
    if set(state) != expected:
        raise InvalidInputError(
            f"state must have exactly the keys {', '.join(sorted(expected))}, got "
            f"{', '.join(sorted(state))}"
        )
    severity = state["severity"]
    allowed = [*(severity.value for severity in InspectionSeverity), DISCONTINUED]
    if severity not in allowed:
        raise InvalidInputError(
            f"state.severity must be one of {', '.join(allowed)}, got {severity!r}"
        )
    recent = state["normal_recent"]
    if not isinstance(recent, str) or len(recent) >= TIGHTEN_WINDOW or recent.strip("AN") != "":
        raise InvalidInputError(
            f"state.normal_recent must be at most {TIGHTEN_WINDOW - 1} of A or N, got {recent!r}"
        )
    return SwitchingState(
        severity=str(severity),
        switching_score=_count(state, "switching_score", 10**9),
        normal_recent=recent,
        tightened_accepted_run=_count(state, "tightened_accepted_run", RELAX_AFTER - 1),
        tightened_not_accepted=_count(state, "tightened_not_accepted", DISCONTINUE_AFTER - 1),
    )


def _score(score: int, outcome: LotOutcome) -> int:
    """9.3.3.2 a) for single sampling: the new switching score after a lot on normal."""
    if outcome.result is Result.FAIL:
        return 0
    if outcome.acceptance_number >= 2:
        return score + 3 if outcome.accepted_one_step_tighter else 0
    return score + 2


def next_state(
    state: Mapping[str, object],
    outcome: LotOutcome,
    *,
    production_steady: bool = True,
    reduced_approved: bool = False,
    normal_required: bool = False,
) -> SwitchingState:
    """The severity and counters after one more lot (9.3).

    ``production_steady``: 9.3.3 b) and 9.3.4 b). ``reduced_approved``: the responsible
    authority considers reduced inspection desirable (9.3.3 c); without it normal never becomes
    reduced. ``normal_required``: other conditions warrant reinstating normal (9.3.4 c).
    """
    current = switching_state(state)
    severity = current["severity"]
    if severity == DISCONTINUED:
        raise InvalidInputError(
            "state.severity is discontinued: no lot is inspected under the switching rules until "
            "the supplier has improved the product and the responsible authority agrees (resume)"
        )
    if outcome.severity.value != severity:
        raise InvalidInputError(
            f"outcome.severity is {outcome.severity.value}, but this supplier and part number "
            f"are on {severity} inspection"
        )
    if not outcome.original_inspection:
        return current
    if severity == InspectionSeverity.NORMAL:
        return _after_normal(current, outcome, reduce=production_steady and reduced_approved)
    if severity == InspectionSeverity.TIGHTENED:
        return _after_tightened(current, outcome)
    if outcome.result is not Result.PASS or not production_steady or normal_required:
        return _fresh(InspectionSeverity.NORMAL.value)
    return current


def _after_normal(current: SwitchingState, outcome: LotOutcome, *, reduce: bool) -> SwitchingState:
    recent = current["normal_recent"] + ("N" if outcome.result is Result.FAIL else "A")
    if recent.count("N") >= TIGHTEN_AFTER:  # 9.3.1
        return _fresh(InspectionSeverity.TIGHTENED.value)
    score = _score(current["switching_score"], outcome)
    if score >= REDUCE_AT_SCORE and reduce:  # 9.3.3
        return _fresh(InspectionSeverity.REDUCED.value)
    keep = recent[-(TIGHTEN_WINDOW - 1) :]
    return {**current, "switching_score": score, "normal_recent": keep}


def _after_tightened(current: SwitchingState, outcome: LotOutcome) -> SwitchingState:
    if outcome.result is not Result.FAIL:
        run = current["tightened_accepted_run"] + 1
        if run >= RELAX_AFTER:  # 9.3.2
            return _fresh(InspectionSeverity.NORMAL.value)
        return {**current, "tightened_accepted_run": run}
    not_accepted = current["tightened_not_accepted"] + 1
    if not_accepted >= DISCONTINUE_AFTER:  # 9.4
        return _fresh(DISCONTINUED)
    return {**current, "tightened_accepted_run": 0, "tightened_not_accepted": not_accepted}


def resume(state: Mapping[str, object]) -> SwitchingState:
    """After discontinuation and the supplier's corrective action: tightened inspection (9.4)."""
    current = switching_state(state)
    if current["severity"] != DISCONTINUED:
        raise InvalidInputError(
            f"state.severity is {current['severity']}: only discontinued inspection resumes"
        )
    return _fresh(InspectionSeverity.TIGHTENED.value)
