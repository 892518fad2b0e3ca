"""Authentication every service shares: KMS access tokens (EdDSA JWTs) and API keys.

Services declare ``ReaderDep``/``WriterDep``/``AdminDep`` (or ``CurrentPrincipal``) on their
endpoints; the app factory puts an ``Authenticator`` on ``app.state.authenticator``.
"""

from fountainai.core.auth.authenticator import REALM, Authenticator
from fountainai.core.auth.dependencies import (
    AUTH_RESPONSES,
    AdminDep,
    CurrentPrincipal,
    ReaderDep,
    WriterDep,
    api_key_scheme,
    bearer_scheme,
    get_principal,
    require_role,
    require_scope,
)
from fountainai.core.auth.errors import AuthUnavailable, InvalidToken
from fountainai.core.auth.introspection import (
    API_KEY_PATTERN,
    INTROSPECT_PATH,
    ApiKeyIntrospector,
    IntrospectionRequest,
    IntrospectionResponse,
    RemoteApiKeyIntrospector,
    principal_for_key,
)
from fountainai.core.auth.jwks import JWKS_PATH, JwksKeySource
from fountainai.core.auth.keys import KeySource, StaticKeySource, public_jwk, public_key_from_jwk
from fountainai.core.auth.principal import (
    API_KEY_SCOPES,
    KNOWN_KEY_SCOPES,
    MFA_ASSERT_SCOPE,
    MFA_VERIFY_SCOPE,
    SERVICE_SUBJECT_PREFIX,
    Principal,
    Role,
    roles_for_scopes,
    scopes_for_roles,
)
from fountainai.core.auth.remote import remote_authenticator
from fountainai.core.auth.revocation import (
    REVOCATIONS_PATH,
    RevocationFeed,
    RevocationSnapshot,
    RevocationSource,
    StaticRevocations,
)
from fountainai.core.auth.revocation_remote import RemoteRevocationList
from fountainai.core.auth.step_up import (
    STEP_UP_MAX_AGE,
    STEP_UP_PATH,
    InsufficientUserAuthentication,
    RecentOtpDep,
    require_recent_otp,
    step_up_error,
)
from fountainai.core.auth.token_format import (
    ACCESS_TOKEN_TYPE,
    MAX_TOKEN_LENGTH,
    SIGNING_ALGORITHM,
)
from fountainai.core.auth.verifier import TokenVerifier

__all__ = [
    "ACCESS_TOKEN_TYPE",
    "API_KEY_PATTERN",
    "API_KEY_SCOPES",
    "AUTH_RESPONSES",
    "INTROSPECT_PATH",
    "JWKS_PATH",
    "KNOWN_KEY_SCOPES",
    "MAX_TOKEN_LENGTH",
    "MFA_ASSERT_SCOPE",
    "MFA_VERIFY_SCOPE",
    "REALM",
    "REVOCATIONS_PATH",
    "SERVICE_SUBJECT_PREFIX",
    "SIGNING_ALGORITHM",
    "STEP_UP_MAX_AGE",
    "STEP_UP_PATH",
    "AdminDep",
    "ApiKeyIntrospector",
    "AuthUnavailable",
    "Authenticator",
    "CurrentPrincipal",
    "InsufficientUserAuthentication",
    "IntrospectionRequest",
    "IntrospectionResponse",
    "InvalidToken",
    "JwksKeySource",
    "KeySource",
    "Principal",
    "ReaderDep",
    "RecentOtpDep",
    "RemoteApiKeyIntrospector",
    "RemoteRevocationList",
    "RevocationFeed",
    "RevocationSnapshot",
    "RevocationSource",
    "Role",
    "StaticKeySource",
    "StaticRevocations",
    "TokenVerifier",
    "WriterDep",
    "api_key_scheme",
    "bearer_scheme",
    "get_principal",
    "principal_for_key",
    "public_jwk",
    "public_key_from_jwk",
    "remote_authenticator",
    "require_recent_otp",
    "require_role",
    "require_scope",
    "roles_for_scopes",
    "scopes_for_roles",
    "step_up_error",
]
