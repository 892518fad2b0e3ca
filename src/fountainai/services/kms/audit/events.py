"""The security events the KMS records, and their outcomes."""

from __future__ import annotations

from enum import StrEnum


class SecurityEvent(StrEnum):
    REGISTER = "register"
    LOGIN = "login"
    LOCKOUT = "lockout"
    IP_THROTTLED = "ipThrottled"
    TOKEN_REFRESH = "tokenRefresh"  # noqa: S105 - an event name, not a secret
    REFRESH_REUSE_DETECTED = "refreshReuseDetected"
    LOGOUT = "logout"
    LOGOUT_EVERYWHERE = "logoutEverywhere"
    PASSWORD_CHANGE = "passwordChange"  # noqa: S105 - an event name, not a secret
    ROLE_CHANGE = "roleChange"
    ACCOUNT_DISABLE = "accountDisable"
    ACCOUNT_ENABLE = "accountEnable"
    MFA_CODE_SEND = "mfaCodeSend"
    MFA_LOGIN = "mfaLogin"
    MFA_ENABLE = "mfaEnable"
    MFA_DISABLE = "mfaDisable"
    STEP_UP = "stepUp"
    API_KEY_CREATE = "apiKeyCreate"
    API_KEY_ROTATE = "apiKeyRotate"
    API_KEY_REVOKE = "apiKeyRevoke"
    SIGNING_KEY_CREATE = "signingKeyCreate"
    SIGNING_KEY_REVOKE = "signingKeyRevoke"


class Outcome(StrEnum):
    SUCCESS = "success"
    FAILURE = "failure"
