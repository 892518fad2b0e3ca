"""``GET /revocations``: what every verifier must reject before it expires.

Open, like the JWKS: verifiers poll it before they hold any credential of their own, and it
holds only opaque token ids (jtis), signing key ids and user ids with timestamps; no token,
secret or username. ``no-store``: a cached copy would keep revoked tokens alive.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from fountainai.core.auth import RevocationFeed
from fountainai.services.kms.revocation.service import LocalRevocations

router = APIRouter(tags=["revocation"])


@router.get(
    "/revocations",
    operation_id="getRevocations",
    summary="Revoked token ids, revoked key ids and per-user not-before times (open; poll it).",
)
async def get_revocations(request: Request, response: Response) -> RevocationFeed:
    response.headers["Cache-Control"] = "no-store"
    state = request.app.state
    return await LocalRevocations(state.sessionmaker, state.keystore).feed()
