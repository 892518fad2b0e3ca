"""FastAPI dependencies: ``get_principal`` and the role/scope guards built on it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import cache
from typing import Annotated, Any, Final

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from fountainai.core.auth.authenticator import CHALLENGE, Authenticator
from fountainai.core.auth.errors import AuthUnavailable
from fountainai.core.auth.principal import Principal, Role
from fountainai.core.errors import PROBLEM_JSON, PermissionDenied

INSUFFICIENT_SCOPE_CHALLENGE: Final = f'{CHALLENGE}, error="insufficient_scope"'

bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="bearerAuth",
    bearerFormat="JWT",
    description="An access token from the KMS (or an API key, fai_...).",
)
api_key_scheme = APIKeyHeader(
    name="X-API-Key",
    auto_error=False,
    scheme_name="apiKeyAuth",
    description="A service API key (fai_...).",
)

_PROBLEM: Final = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
AUTH_RESPONSES: Final[dict[int | str, dict[str, Any]]] = {
    401: {"description": "Missing or invalid credentials", "content": _PROBLEM},
    403: {"description": "Authenticated, but lacking the role or scope", "content": _PROBLEM},
    503: {"description": "Credentials cannot be checked right now; retry", "content": _PROBLEM},
}


async def get_principal(
    request: Request,
    _bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    _api_key: Annotated[str | None, Depends(api_key_scheme)],
) -> Principal:
    """The authenticated caller, from ``request.app.state.authenticator``; 401 otherwise.

    The two security schemes are declared so OpenAPI documents them; the authenticator reads the
    headers itself, so every entry point (gateway included) parses credentials one way.
    """
    authenticator: Authenticator | None = getattr(request.app.state, "authenticator", None)
    if authenticator is None:
        raise AuthUnavailable()
    principal = await authenticator.authenticate(request.headers)
    request.state.principal = principal
    return principal


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]
PrincipalGuard = Callable[[Principal], Awaitable[Principal]]


@cache
def require_role(role: Role) -> PrincipalGuard:
    """A dependency answering 403 unless the caller holds ``role`` (or one ranked above)."""

    async def has_role(principal: CurrentPrincipal) -> Principal:
        if not principal.has_role(role):
            raise PermissionDenied(
                f"This operation needs the {role.value} role.",
                headers={"WWW-Authenticate": INSUFFICIENT_SCOPE_CHALLENGE},
            )
        return principal

    return has_role


@cache
def require_scope(scope: str) -> PrincipalGuard:
    """A dependency answering 403 unless the caller's scopes include ``scope``."""

    async def has_scope(principal: CurrentPrincipal) -> Principal:
        if not principal.has_scope(scope):
            raise PermissionDenied(
                f"This operation needs the {scope} scope.",
                headers={"WWW-Authenticate": INSUFFICIENT_SCOPE_CHALLENGE},
            )
        return principal

    return has_scope


ReaderDep = Annotated[Principal, Depends(require_role(Role.READER))]
WriterDep = Annotated[Principal, Depends(require_role(Role.WRITER))]
AdminDep = Annotated[Principal, Depends(require_role(Role.ADMIN))]
