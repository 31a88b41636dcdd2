"""The FSMA 204 sortable spreadsheet over real HTTP (issue 13 §4): the exact rows of a lot
(receiving, transformations at two levels, shipping) and of a date range, sorted by a column both
ways, as CSV and as XLSX (read back with openpyxl); a token needed, a buyer's rows kept to its
own orders, and wrong parameters refused with a JSON error naming them."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator

import httpx2
import pytest
from openpyxl import load_workbook

from graph.database import Database
from graph.fsma import COLUMNS
from tests.support import bearer, http_client, load_fixture_graph
from tracegraph.access import Role
from tracegraph.app import create_app
from tracegraph.errors import ConfigError
from tracegraph.settings import Settings

HEADER = list(COLUMNS)
RECEIVING_F1 = [
    "receiving",
    "LOT-F1",
    "Merino yarn",
    "100.0",
    "kg",
    "",
    "2026-04-01",
    "",
    "Fibre Mill (SUP-F1, DE)",
    "",
    "",
    "",
]
MADE_F1 = [
    "transformation",
    "B-F1",
    "sweater PN-1",
    "10.0",
    "each",
    "line L1, machine M-01",
    "2026-04-05",
    "batch record B-F1",
    "LOT-F1",
    "",
    "40.0",
    "kg",
]
MADE_F1_FROM_F2 = [
    "transformation",
    "B-F1",
    "sweater PN-1",
    "10.0",
    "each",
    "line L1, machine M-01",
    "2026-04-05",
    "batch record B-F1",
    "LOT-F2",
    "",
    "10.0",
    "kg",
]
MADE_F2 = [
    "transformation",
    "B-F2",
    "PN-2",
    "5.0",
    "each",
    "",
    "2026-04-06",
    "batch record B-F2",
    "LOT-F1",
    "",
    "20.0",
    "kg",
]
MADE_F3 = [
    "transformation",
    "B-F3",
    "sweater PN-1",
    "3.0",
    "each",
    "",
    "2026-04-08",
    "batch record B-F3",
    "B-F2",
    "",
    "3.0",
    "each",
]
MADE_F4 = [
    "transformation",
    "B-F4",
    "scarf PN-4",
    "2.0",
    "each",
    "",
    "2026-04-07",
    "batch record B-F4",
    "LOT-F2",
    "",
    "5.0",
    "kg",
]
SHIPPED_F1 = [
    "shipping",
    "B-F1",
    "sweater PN-1",
    "10.0",
    "each",
    "",
    "2026-04-20",
    "order ORD-F1",
    "",
    "Globex (CUST-001, US)",
    "",
    "",
]
SHIPPED_F2 = [
    "shipping",
    "B-F2",
    "PN-2",
    "5.0",
    "each",
    "",
    "2026-04-21",
    "order ORD-F2",
    "",
    "Initech (CUST-002, US)",
    "",
    "",
]
RECEIVING_F2 = [
    "receiving",
    "LOT-F2",
    "",  # no material: no product
    "30.0",
    "kg",
    "",
    "2026-04-02",
    "",
    "Dye Works (SUP-F2)",
    "",
    "",
    "",
]
LOT_F1 = [RECEIVING_F1, MADE_F1, MADE_F2, MADE_F3, SHIPPED_F1, SHIPPED_F2]


@pytest.fixture
async def graph(db: Database) -> Database:
    await load_fixture_graph(db, "fsma")
    return db


@pytest.fixture
def client(neo4j_settings: Settings, graph: Database) -> Iterator[httpx2.Client]:
    with http_client(create_app(neo4j_settings)) as client:
        yield client


def admin(settings: Settings) -> dict[str, str]:
    return bearer(settings, Role.ADMIN)


def csv_rows(client: httpx2.Client, headers: dict[str, str], **params: str) -> list[list[str]]:
    response = client.get("/exports/fsma204.csv", params=params, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["content-disposition"]
    header, *rows = csv.reader(io.StringIO(response.text))
    assert header == HEADER
    return rows


def test_a_lot_exports_its_receiving_transformations_at_every_depth_and_shipping(
    client: httpx2.Client, neo4j_settings: Settings
) -> None:
    # B-F1's other input (LOT-F2) and B-F4 (made from LOT-F2 only) are not LOT-F1's events;
    # ORD-F3 has not shipped.
    assert csv_rows(client, admin(neo4j_settings), lot="LOT-F1") == LOT_F1


def test_a_lot_nothing_consumed_yet_exports_its_receiving(
    client: httpx2.Client, neo4j_settings: Settings
) -> None:
    rows = csv_rows(client, admin(neo4j_settings), lot="LOT-F9")
    assert [row[:7] for row in rows] == [["receiving", "LOT-F9", "", "7.0", "kg", "", "2026-03-01"]]


def test_a_date_range_exports_every_event_in_it(
    client: httpx2.Client, neo4j_settings: Settings
) -> None:
    rows = csv_rows(client, admin(neo4j_settings), **{"from": "2026-04-02", "to": "2026-04-07"})
    assert rows == [RECEIVING_F2, MADE_F1, MADE_F1_FROM_F2, MADE_F2, MADE_F4]
    shipped = csv_rows(client, admin(neo4j_settings), **{"from": "2026-04-21"})
    assert [row[7] for row in shipped] == ["order ORD-F2", "order ORD-F4"]


def test_a_lot_and_a_range_keep_the_lots_events_in_the_range(
    client: httpx2.Client, neo4j_settings: Settings
) -> None:
    rows = csv_rows(
        client, admin(neo4j_settings), lot="LOT-F1", **{"from": "2026-04-06", "to": "2026-04-20"}
    )
    assert rows == [MADE_F2, MADE_F3, SHIPPED_F1]


def test_rows_sort_by_a_column_both_ways(client: httpx2.Client, neo4j_settings: Settings) -> None:
    headers = admin(neo4j_settings)
    up = csv_rows(client, headers, lot="LOT-F1", sort="traceability_lot_code")
    # Ties (a batch's transformation and shipping) keep date order either way.
    assert up == [MADE_F1, SHIPPED_F1, MADE_F2, SHIPPED_F2, MADE_F3, RECEIVING_F1]
    down = csv_rows(client, headers, lot="LOT-F1", sort="-traceability_lot_code")
    assert down == [RECEIVING_F1, MADE_F3, MADE_F2, SHIPPED_F2, MADE_F1, SHIPPED_F1]
    by_quantity = csv_rows(client, headers, lot="LOT-F1", sort="-quantity")
    assert [row[3] for row in by_quantity] == ["100.0", "10.0", "10.0", "5.0", "5.0", "3.0"]
    by_date_down = csv_rows(client, headers, lot="LOT-F1", sort="-date")
    assert by_date_down == LOT_F1[::-1]


def test_xlsx_holds_the_same_rows_with_real_dates_and_numbers(
    client: httpx2.Client, neo4j_settings: Settings
) -> None:
    response = client.get(
        "/exports/fsma204.xlsx",
        params={"lot": "LOT-F1", "sort": "-date"},
        headers=admin(neo4j_settings),
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    sheet = book["FSMA 204"]
    # A reader may leave out a row's trailing empty cells.
    header, *rows = [
        [*row, *[None] * (len(HEADER) - len(row))] for row in sheet.iter_rows(values_only=True)
    ]
    assert header == HEADER
    assert rows[-1] == [
        "receiving",
        "LOT-F1",
        "Merino yarn",
        100.0,
        "kg",
        None,
        dt.datetime(2026, 4, 1),
        None,
        "Fibre Mill (SUP-F1, DE)",
        None,
        None,
        None,
    ]
    as_text = [
        [
            ""
            if v is None
            else v.date().isoformat()
            if isinstance(v, dt.datetime)
            # A whole number may come back as an int.
            else str(float(v))
            if isinstance(v, int | float)
            else v
            for v in row
        ]
        for row in rows
    ]
    assert as_text == LOT_F1[::-1]


def test_no_token_is_refused(client: httpx2.Client) -> None:
    for kind in ("csv", "xlsx"):
        response = client.get(f"/exports/fsma204.{kind}", params={"lot": "LOT-F1"})
        assert response.status_code == 401
        assert "LOT-F1" not in response.text


def test_a_buyer_sees_only_rows_of_its_own_orders(
    client: httpx2.Client, neo4j_settings: Settings
) -> None:
    globex = bearer(neo4j_settings, Role.BUYER, customer="CUST-001")
    initech = bearer(neo4j_settings, Role.BUYER, customer="CUST-002")
    # B-F2 went into Globex's ORD-F3 (via B-F3): its making is Globex's; its shipping is not.
    assert csv_rows(client, globex, lot="LOT-F1") == [
        RECEIVING_F1,
        MADE_F1,
        MADE_F2,
        MADE_F3,
        SHIPPED_F1,
    ]
    assert csv_rows(client, initech, lot="LOT-F1") == [RECEIVING_F1, MADE_F2, SHIPPED_F2]
    ranged = csv_rows(client, initech, **{"from": "2026-04-01"})
    assert ranged == [RECEIVING_F1, MADE_F2, SHIPPED_F2]
    # Nothing of Initech's came from LOT-F2: answered as a lot that does not exist.
    for kind in ("csv", "xlsx"):
        hidden = client.get(f"/exports/fsma204.{kind}", params={"lot": "LOT-F2"}, headers=initech)
        missing = client.get(f"/exports/fsma204.{kind}", params={"lot": "LOT-X"}, headers=initech)
        assert hidden.status_code == missing.status_code == 404
        assert hidden.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"


def test_a_supplier_sees_what_was_made_from_its_own_lots(
    client: httpx2.Client, neo4j_settings: Settings
) -> None:
    dye_works = bearer(neo4j_settings, Role.SUPPLIER, supplier="SUP-F2")
    assert (
        client.get("/exports/fsma204.csv", params={"lot": "LOT-F1"}, headers=dye_works).status_code
        == 404
    )
    rows = csv_rows(client, dye_works, lot="LOT-F2")
    assert [(row[0], row[1]) for row in rows] == [
        ("receiving", "LOT-F2"),
        ("transformation", "B-F1"),
        ("transformation", "B-F4"),
    ]
    # B-F1 was also made from Fibre Mill's LOT-F1: that input is not Dye Works' to read.
    ranged = csv_rows(client, dye_works, **{"from": "2026-04-01"})
    assert [(row[0], row[1], row[8]) for row in ranged] == [
        ("receiving", "LOT-F2", "Dye Works (SUP-F2)"),
        ("transformation", "B-F1", "LOT-F2"),
        ("transformation", "B-F4", "LOT-F2"),
    ]


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({}, "lot"),
        ({"lot": " "}, "lot"),
        ({"lot": "LOT-F1", "from": "2026-13-01"}, "from"),
        ({"to": "yesterday"}, "to"),
        ({"from": "2026-04-09", "to": "2026-04-01"}, "to"),
        ({"lot": "LOT-F1", "sort": "colour"}, "sort"),
        ({"lot": "LOT-F1", "sort": "--date"}, "sort"),
        ({"lot": "LOT-F1", "limit": "5"}, "limit"),
    ],
)
def test_wrong_parameters_answer_400_naming_them(
    client: httpx2.Client,
    neo4j_settings: Settings,
    params: dict[str, str],
    parameter: str,
) -> None:
    for kind in ("csv", "xlsx"):
        response = client.get(
            f"/exports/fsma204.{kind}", params=params, headers=admin(neo4j_settings)
        )
        assert response.status_code == 400, response.text
        (error,) = response.json()["errors"]
        assert error["extensions"] == {"code": "BAD_REQUEST", "parameter": parameter}
        assert error["message"].startswith(f"{parameter}:")


def test_a_parameter_given_twice_answers_400(
    client: httpx2.Client, neo4j_settings: Settings
) -> None:
    response = client.get(
        "/exports/fsma204.csv?lot=LOT-F1&lot=LOT-F2", headers=admin(neo4j_settings)
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["parameter"] == "lot"


def test_the_app_will_not_serve_exports_without_a_token(neo4j_settings: Settings) -> None:
    open_exports = neo4j_settings.model_copy(update={"tracegraph_auth_paths": ("/graphql",)})
    with pytest.raises(ConfigError, match="/exports"):
        create_app(open_exports)
