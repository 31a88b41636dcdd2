"""GraphiQL at ``/graphiql`` (dev only), talking to the protected ``/graphql``.

The IDE page itself carries no data, so it is served without a token; in dev its header editor
opens with an admin token already filled in, so a newcomer's first query just works. Strawberry's
own page is reused with two edits: where it sends queries, and the headers it starts with.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import timedelta

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from strawberry.http.ides import get_graphql_ide_html

from tracegraph.access import Role
from tracegraph.auth import mint_token
from tracegraph.settings import Settings

# The lines of strawberry's graphiql.html that the two edits replace; a strawberry upgrade that
# changes them fails start-up (and tests/tracegraph/test_ide.py), not the page at run time.
_FETCH_URL = 'const fetchURL = window.location.href.split("?")[0];'
_HEADERS = "React.useState(parameters.headers)"
IDE_USER = "graphiql-dev"
IDE_TOKEN_TTL = timedelta(hours=12)


def ide_page(settings: Settings, endpoint: str = "/graphql") -> str:
    html = get_graphql_ide_html("graphiql")
    for needle in (_FETCH_URL, _HEADERS):
        if needle not in html:
            raise RuntimeError(f"strawberry's graphiql.html changed: {needle!r} not found")
    html = html.replace(
        _FETCH_URL, f"const fetchURL = new URL({json.dumps(endpoint)}, window.location.href).href;"
    )
    if settings.tracegraph_auth_mode != "embedded":
        return html  # tokens come from the provider; the user pastes one into the header editor
    token = mint_token(settings, role=Role.ADMIN, user=IDE_USER, ttl=IDE_TOKEN_TTL)
    headers = json.dumps(json.dumps({"Authorization": f"Bearer {token}"}, indent=2))
    return html.replace(_HEADERS, f"React.useState(parameters.headers || {headers})")


def ide_endpoint(settings: Settings) -> Callable[[Request], Awaitable[Response]]:
    async def graphiql(request: Request) -> Response:
        # Minted per page load: a tab opened tomorrow still gets a live token.
        return HTMLResponse(ide_page(settings), headers={"Cache-Control": "no-store"})

    return graphiql
