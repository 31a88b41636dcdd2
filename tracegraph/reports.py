"""``GET /reports/mock-recall.json`` and ``.html``: a lot's mock recall report (graph.mock_recall).

Behind the same bearer token as ``/graphql`` (``/reports`` is in TRACEGRAPH_AUTH_PATHS by
default, and the app refuses to start without it), parameters checked as the FSMA export's
(tracegraph.exports): ``lot``, a lot number, and nothing else. A lot the caller may not read
answers 404, exactly as one that does not exist; every figure is kept to the caller's scope.

The JSON is the report's model with the GraphQL API's camelCase names. The HTML page is one
self-contained document (inline CSS, no script, no external resource, a print stylesheet) for a
recall team to print or file; every value in it goes through ``html.escape``.
"""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any, Literal

import orjson
from starlette.requests import Request
from starlette.responses import Response

from graph.database import Database
from graph.mock_recall import MockRecallReport, compile_report
from resolvers.mutations import camel
from tracegraph.auth import request_caller
from tracegraph.errors import NotFoundError, TracegraphError
from tracegraph.exports import (
    HEADERS,
    BadParameterError,
    bad_parameter,
    check_parameters,
    lot_parameter,
    refusal,
)

PARAMETERS = ("lot",)
# The page loads nothing and runs nothing: only its own inline style applies.
HTML_HEADERS = {
    **HEADERS,
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
}


def camel_keys(value: Any) -> Any:
    """``value`` (a model dumped as JSON data) with every key in camelCase, as GraphQL names it."""
    if isinstance(value, dict):
        return {camel(key): camel_keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [camel_keys(item) for item in value]
    return value


def as_json(report: MockRecallReport) -> bytes:
    return orjson.dumps(camel_keys(report.model_dump(mode="json")))


def _lot(request: Request) -> str:
    lot = lot_parameter(check_parameters(request, PARAMETERS).get("lot"))
    if lot is None:
        raise BadParameterError("lot", "lot: give the lot number of the mock recall")
    return lot.strip()


def report_endpoint(kind: Literal["json", "html"]) -> Callable[[Request], Awaitable[Response]]:
    async def report(request: Request) -> Response:
        caller = request_caller(request.scope)
        if caller is None:  # the middleware lets no request here without one; fail closed
            return refusal(401, "sign in first", "UNAUTHENTICATED")
        try:
            lot = _lot(request)
        except BadParameterError as e:
            return bad_parameter(e)
        db: Database = request.app.state.db
        tolerance = request.app.state.settings.tracegraph_mass_balance_tolerance_percent
        try:
            found = await compile_report(
                db,
                lot,
                scope=caller.scope(),
                user_id=caller.user_id,
                tolerance_percent=tolerance,
            )
        except NotFoundError:
            return refusal(404, f"no lot {lot!r}", "NOT_FOUND")
        except TracegraphError as e:
            return refusal(503, str(e), e.code)
        if kind == "json":
            return Response(as_json(found), media_type="application/json", headers=HEADERS)
        return Response(
            render_html(found), media_type="text/html; charset=utf-8", headers=HTML_HEADERS
        )

    return report


# ---- the printable page ----------------------------------------------------------------------

STYLE = """
*{box-sizing:border-box}
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#111;
margin:2rem auto;max-width:1100px;padding:0 1rem}
h1{font-size:1.6rem;margin:0 0 .25rem}
h2{font-size:1.15rem;margin:1.5rem 0 .5rem;border-bottom:2px solid #333;padding-bottom:.2rem}
.meta{color:#444;margin:0 0 1rem}
.headline{display:flex;gap:1rem;flex-wrap:wrap;margin:1rem 0}
.box{border:2px solid #333;border-radius:6px;padding:.75rem 1rem;flex:1 1 300px}
.box .big{font-size:2rem;font-weight:700;line-height:1.1}
.box.ok{border-color:#1b6e2b}.box.flagged{border-color:#b00020;background:#fdecee}
.flag{font-weight:700}.ok .flag{color:#1b6e2b}.flagged .flag{color:#b00020}
table{border-collapse:collapse;width:100%;margin:.25rem 0 .75rem}
th,td{border:1px solid #bbb;padding:.25rem .45rem;text-align:left;vertical-align:top}
th{background:#f0f0f0}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:.25rem 0}
dl.kv dt{font-weight:600}dl.kv dd{margin:0}
.held{color:#b00020;font-weight:700}
.muted{color:#666}
footer{margin-top:2rem;color:#555;font-size:.85rem}
@page{size:A4;margin:14mm}
@media print{
body{margin:0;max-width:none;font-size:10.5pt;padding:0}
.box.flagged{background:none}
h2{break-after:avoid;page-break-after:avoid}
tr,.box,dl.kv{break-inside:avoid;page-break-inside:avoid}
thead{display:table-header-group}
a{color:inherit;text-decoration:none}
}
"""


def _e(value: Any) -> str:
    """``value`` as HTML text: escaped, a dash when missing."""
    if value is None or value == "":
        return "—"
    return html.escape(str(value), quote=True)


def _n(value: float | int | None, digits: int = 2) -> str:
    if value is None:
        return "—"
    if isinstance(value, int) or float(value).is_integer():
        return _e(f"{value:,.0f}")
    return _e(f"{value:,.{digits}f}")


def _count(value: int, one: str, many: str) -> str:
    return f"{_n(value)} {one if value == 1 else many}"


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]], numeric: set[int]) -> str:
    """A table of already escaped cells (``headers`` are ours, escaped here all the same)."""
    body = [
        "<tr>"
        + "".join(
            f'<td class="n">{cell}</td>' if i in numeric else f"<td>{cell}</td>"
            for i, cell in enumerate(row)
        )
        + "</tr>"
        for row in rows
    ]
    if not body:
        return '<p class="muted">None.</p>'
    head = "".join(
        f'<th class="n">{_e(h)}</th>' if i in numeric else f"<th>{_e(h)}</th>"
        for i, h in enumerate(headers)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _kv(pairs: Sequence[tuple[str, str]]) -> str:
    items = "".join(f"<dt>{_e(k)}</dt><dd>{v}</dd>" for k, v in pairs)
    return f'<dl class="kv">{items}</dl>'


def _headline(report: MockRecallReport) -> str:
    balance = report.mass_balance
    unit = f" {_e(balance.unit)}" if balance.unit else ""
    tolerance = _n(report.tolerance_percent)
    if balance.flagged:
        verdict, css = f"FLAGGED: the balance does not close within ±{tolerance} %", "flagged"
    else:
        verdict, css = f"Balanced within ±{tolerance} %", "ok"
    percent = (
        f"{_n(balance.unexplained_percent)} %"
        if balance.unexplained_percent is not None
        else "— (nothing received)"
    )
    summary = report.summary
    return (
        '<div class="headline">'
        '<div class="box" id="compile-time">'
        "<div>Compiled in</div>"
        f'<div class="big">{_n(report.compile_ms, 1)} ms</div>'
        f"<div>{_count(summary.batch_count, 'batch', 'batches')},"
        f" {_count(summary.serial_count, 'serial', 'serials')},"
        f" {_count(summary.order_count, 'order', 'orders')},"
        f" {_count(summary.customer_count, 'customer', 'customers')}</div>"
        "</div>"
        f'<div class="box {css}" id="mass-balance">'
        "<div>Mass balance (quantity in = quantity out + losses)</div>"
        f'<div class="big">{_n(balance.unexplained)}{unit} unexplained</div>'
        f"<div>{percent} of received</div>"
        f'<div class="flag">{verdict}</div>'
        "</div></div>"
        + _table(
            ["Received", "Consumed by batches", "Consumptions", "Scrapped", "On hand (book)",
             "Unexplained", "Unexplained %"],
            [[
                _n(balance.received) + unit, _n(balance.consumed) + unit,
                _n(balance.consumptions), _n(balance.scrapped) + unit,
                _n(balance.on_hand) + unit, _n(balance.unexplained) + unit, percent,
            ]],
            numeric={0, 1, 2, 3, 4, 5, 6},
        )
    )  # fmt: skip


def _lot_section(report: MockRecallReport) -> str:
    lot, supplier, material = report.lot, report.supplier, report.material
    quantity = f"{_n(lot.quantity)} {_e(lot.unit)}" if lot.quantity is not None else "—"
    supplier_text = "—"
    if supplier is not None:
        where = f", {_e(supplier.country)}" if supplier.country else ""
        supplier_text = f"{_e(supplier.name)} ({_e(supplier.id)}{where})"
    contact = "—"
    if supplier is not None:
        known = [v for v in (supplier.contact_name, supplier.contact_email, supplier.phone) if v]
        contact = ", ".join(_e(v) for v in known) or "—"
    pairs = [
        ("Lot", _e(lot.lot_number)),
        ("Supplier", supplier_text),
        ("Supplier contact", contact),
        ("Material", f"{_e(material.name)} ({_e(material.id)})" if material is not None else "—"),
        ("Received", _e(lot.received_date)),
        ("Quantity received", quantity),
        ("Inspection", _e(lot.inspection_result)),
        ("Quarantine status", _e(lot.quarantine_status)),
    ]
    if report.holds:
        rows = [
            [_e(h.recall or "quarantine"), _e(h.status), _e(h.reason), _e(h.since), _e(h.by)]
            for h in report.holds
        ]
        holds = '<p class="held">On hold now:</p>' + _table(
            ["Hold", "Status", "Reason", "Since", "By"], rows, numeric=set()
        )
    else:
        holds = "<p>Not on hold now.</p>"
    return "<h2>The lot</h2>" + _kv(pairs) + holds


def _scope_section(report: MockRecallReport) -> str:
    s, preview = report.summary, report.scope
    figures = _kv(
        [
            ("Batches downstream", _n(s.batch_count)),
            ("Serials", _n(s.serial_count)),
            ("Shipped units", _n(s.shipped_units)),
            ("Still in house", _n(s.in_house_units)),
            ("Orders", f"{_n(s.order_count)} ({_n(s.shipped_orders)} shipped)"),
            (
                "Customers to notify",
                f"{_n(s.customer_count)} ({_count(s.contact_count, 'contact', 'contacts')})",
            ),
            ("Open quality issues", _n(s.open_issue_count)),
            ("Quality cost so far", "not shown" if s.cost_so_far is None else _n(s.cost_so_far)),
        ]
    )
    levels = _table(
        ["Level", "Batches", "Batch ids"],
        [
            [_e(level.level), _n(level.count), _e(", ".join(level.batch_ids))]
            for level in s.batches_by_level
        ],
        numeric={1},
    )
    ranges = _table(
        ["First serial", "Last serial", "Count"],
        [[_e(r.first), _e(r.last), _n(r.count)] for r in s.serial_ranges],
        numeric={2},
    )
    names = {c.id: c.name for c in preview.customers if c.name}

    def customer(customer_id: str | None) -> str:
        name = names.get(customer_id or "")
        return f"{_e(name)} ({_e(customer_id)})" if name else _e(customer_id)

    orders = _table(
        ["Order", "Customer", "Part", "Quantity", "Workflow status", "Shipped"],
        [
            [
                _e(o.order_number), customer(o.customer_id), _e(o.part_number), _n(o.quantity),
                _e(o.workflow_status or o.status), "yes" if o.shipped else "no",
            ]
            for o in preview.orders
        ],
        numeric={3},
    )  # fmt: skip
    customers = _table(
        ["Customer", "Name", "Country", "Contacts"],
        [
            [
                _e(c.id),
                _e(c.name),
                _e(c.country),
                "<br>".join(f"{_e(u.name)} &lt;{_e(u.email)}&gt;" for u in c.contacts) or "—",
            ]
            for c in preview.customers
        ],
        numeric=set(),
    )
    issues = _table(
        ["Issue", "Batch", "Severity", "Status", "Detected", "Cost"],
        [
            [_e(i.issue_id), _e(i.batch_id), _e(i.severity), _e(i.status), _e(i.detected_at),
             _n(i.total_cost)]
            for i in preview.open_issues
        ],
        numeric={5},
    )  # fmt: skip
    return (
        "<h2>Scope</h2>" + figures
        + "<h2>Batches by level</h2>" + levels
        + "<h2>Serials</h2>" + ranges
        + "<h2>Orders</h2>" + orders
        + "<h2>Customers and contacts</h2>" + customers
        + "<h2>Open quality issues</h2>" + issues
    )  # fmt: skip


def render_html(report: MockRecallReport) -> str:
    """The report as one printable, self-contained HTML page."""
    lot = _e(report.lot_number)
    compiled = f"{_e(report.compiled_at.isoformat(timespec='seconds'))}"
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Mock recall report: lot {lot}</title><style>{STYLE}</style></head><body>"
        f"<h1>Mock recall report: lot {lot}</h1>"
        f'<p class="meta">Compiled {compiled} by {_e(report.compiled_by)}, in'
        f" {_n(report.compile_ms, 1)} ms. Everything below is as this user may see it.</p>"
        + _headline(report)
        + _lot_section(report)
        + _scope_section(report)
        + "<footer>tracegraph mock recall report (BRCGS mock recall with mass balance; IATF 16949"
        " suspect product). Compiling it read the graph and wrote nothing.</footer>"
        "</body></html>"
    )
