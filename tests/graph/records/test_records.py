from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError

from graph.records.production import Batch, ConsumedLot
from graph.records.quality import QualityIssue
from graph.records.supply import MaterialLot


def test_enumerations_are_enforced() -> None:
    with pytest.raises(ValidationError) as e:
        QualityIssue(
            issue_id="QI-1",
            type="dimension",
            parts_affected=1,
            severity="urgent",
            detected_at=datetime(2025, 1, 1, tzinfo=UTC),
        )
    assert e.value.errors()[0]["loc"] == ("severity",)


def test_instants_must_carry_a_zone() -> None:
    with pytest.raises(ValidationError):
        QualityIssue(
            issue_id="QI-1",
            type="dimension",
            parts_affected=1,
            severity="low",
            detected_at=datetime(2025, 1, 1),  # naive on purpose
        )


def test_unknown_fields_are_errors() -> None:
    with pytest.raises(ValidationError, match="colour"):
        MaterialLot(lot_number="L", quantity=1, received_date=date(2025, 1, 1), colour="red")  # type: ignore[call-arg]


def test_params_keep_temporal_types() -> None:
    lot = MaterialLot(lot_number="L", quantity=1, received_date="2025-01-02")
    assert lot.to_params()["received_date"] == date(2025, 1, 2)
    rel = ConsumedLot(src="B", dst="L", quantity=2.0, unit="kg")
    assert rel.to_params() == {"src": "B", "dst": "L", "props": {"quantity": 2.0, "unit": "kg"}}


def test_serial_range_comes_in_pairs() -> None:
    with pytest.raises(ValidationError, match="together"):
        Batch(batch_id="B", production_date=date(2025, 1, 1), quantity=1, serial_start="SN-1")
