"""Send the hostile corpus (tests/hostile.py) to a running service and count what came back.

    python -m bench.hostile http://127.0.0.1:8000

Prints: requests, 5xx answers, INTERNAL_ERROR codes, answers that leak internals, non-JSON
error answers, requests with no answer within ``--timeout``, and the slowest answer.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import timedelta
from urllib.parse import urlsplit

from tests.hostile import corpus, send
from tracegraph.access import Role
from tracegraph.auth import mint_token
from tracegraph.settings import load_settings


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds to wait per request")
    parser.add_argument(
        "--token",
        help="a bearer token (default: an admin token minted with this machine's settings)",
    )
    args = parser.parse_args(argv)
    token = args.token or mint_token(
        load_settings(), role=Role.ADMIN, user="bench-hostile", ttl=timedelta(hours=1)
    )
    authorization = f"Bearer {token}"
    parts = urlsplit(args.url)
    assert parts.hostname is not None
    assert parts.port is not None
    outcomes = []
    silent = 0
    for hostile in corpus():
        if silent >= 3:  # the service stopped answering: the rest would only time out
            outcomes.append(
                send(
                    parts.hostname, parts.port, hostile, authorization=authorization, timeout=0.001
                )
            )
            continue
        outcome = send(
            parts.hostname, parts.port, hostile, authorization=authorization, timeout=args.timeout
        )
        silent = silent + 1 if outcome.status == 0 else 0
        if silent == 3:
            print(f"no answer three times in a row, from: {hostile.why}")
        outcomes.append(outcome)
    slowest = max(outcomes, key=lambda o: o.seconds)
    print(f"requests            {len(outcomes)}")
    print(f"no answer in time   {sum(o.status == 0 for o in outcomes)}")
    print(f"5xx                 {sum(o.status >= 500 for o in outcomes)}")
    print(f"INTERNAL_ERROR      {sum('INTERNAL_ERROR' in o.codes for o in outcomes)}")
    print(f"leaks               {sum(bool(o.leaked) for o in outcomes)}")
    print(f"non-JSON refusals   {sum(o.status >= 400 and not o.json_body for o in outcomes)}")
    print(f"slowest             {slowest.seconds * 1000:.1f} ms ({slowest.hostile.why})")
    for o in outcomes:
        if o.status >= 500 or o.status == 0 or "INTERNAL_ERROR" in o.codes or o.leaked:
            print(f"  {o.status} {o.codes} {o.leaked} {o.hostile.why}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
