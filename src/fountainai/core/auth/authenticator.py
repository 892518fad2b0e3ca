"""``Authenticator``: request headers in, ``Principal`` out, or a 400/401 problem."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from multidict import MultiMapping
from starlette.datastructures import Headers

from fountainai.core.auth.errors import InvalidToken
from fountainai.core.auth.introspection import API_KEY_PREFIX, ApiKeyIntrospector
from fountainai.core.auth.principal import Principal
from fountainai.core.auth.verifier import TokenVerifier
from fountainai.core.errors import BadRequest, Unauthorized
from fountainai.core.logging import get_logger

REALM: Final = "fountainai"
CHALLENGE: Final = f'Bearer realm="{REALM}"'
INVALID_TOKEN_CHALLENGE: Final = f'{CHALLENGE}, error="invalid_token"'
INVALID_REQUEST_CHALLENGE: Final = f'{CHALLENGE}, error="invalid_request"'
MISSING_DETAIL: Final = "Send an access token (Authorization: Bearer) or an API key (X-API-Key)."
INVALID_DETAIL: Final = "The credentials could not be verified."
BOTH_DETAIL: Final = "Send one credential: an Authorization header or X-API-Key, not both."

log = get_logger(__name__)


class Authenticator:
    """Reads ``Authorization: Bearer <token|fai_ key>`` or ``X-API-Key: <fai_ key>``.

    No credential: 401 with a bare ``Bearer`` challenge. A bad one, whatever the reason: 401
    ``error="invalid_token"`` with one generic detail (the reason is logged, never sent). Both
    headers, or either repeated: 400 ``error="invalid_request"`` (RFC 6750 section 3.1: one
    method per request). ``request_headers`` must be case-insensitive (Starlette, multidict) or
    use lower-case names.
    """

    def __init__(self, verifier: TokenVerifier, api_keys: ApiKeyIntrospector | None) -> None:
        self.verifier = verifier
        self.api_keys = api_keys

    async def authenticate(self, request_headers: Mapping[str, str]) -> Principal:
        authorization = _single(request_headers, "authorization")
        api_key = _single(request_headers, "x-api-key")
        if authorization and api_key:
            raise BadRequest(BOTH_DETAIL, headers={"WWW-Authenticate": INVALID_REQUEST_CHALLENGE})
        if not authorization and not api_key:
            raise Unauthorized(MISSING_DETAIL, headers={"WWW-Authenticate": CHALLENGE})
        try:
            if api_key:
                return await self._api_key(api_key)
            assert authorization is not None
            return await self._bearer(authorization)
        except InvalidToken as exc:
            log.info("authentication_rejected", reason=str(exc))
            raise Unauthorized(
                INVALID_DETAIL, headers={"WWW-Authenticate": INVALID_TOKEN_CHALLENGE}
            ) from None

    async def _bearer(self, authorization: str) -> Principal:
        scheme, _, credential = authorization.partition(" ")
        credential = credential.strip()
        if scheme.lower() != "bearer" or not credential:
            raise InvalidToken("Authorization is not a Bearer credential")
        if credential.startswith(API_KEY_PREFIX):
            return await self._api_key(credential)
        return await self.verifier.verify(credential)

    async def _api_key(self, api_key: str) -> Principal:
        if self.api_keys is None:
            raise InvalidToken("this service accepts no API keys")
        principal = await self.api_keys.introspect(api_key.strip())
        if principal is None:
            raise InvalidToken("API key is unknown, revoked, expired or malformed")
        return principal


def _single(headers: Mapping[str, str], name: str) -> str | None:
    """The header's one value; a repeated credential header is a 400."""
    if isinstance(headers, Headers):
        values = headers.getlist(name)
    elif isinstance(headers, MultiMapping):
        values = headers.getall(name, [])
    else:
        value = headers.get(name)
        values = [] if value is None else [value]
    if len(values) > 1:
        raise BadRequest(
            f"Send the {name} header once.", headers={"WWW-Authenticate": INVALID_REQUEST_CHALLENGE}
        )
    return values[0] if values else None
