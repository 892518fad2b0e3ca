"""Access rules in Kong's terms, for ``kong.py``: glob paths as router regexes, the jwt/key-auth/
acl plugins a rule needs, the consumers behind them, and what of a rule Kong cannot check."""

from __future__ import annotations

import json
from typing import Any, Final

from fountainai.core.auth import STEP_UP_MAX_AGE, Role
from fountainai.gateway.routes import AccessRule

ALL_METHODS: Final[tuple[str, ...]] = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
API_KEY_HEADER: Final = "X-API-Key"
ANONYMOUS: Final = "anonymous"
# A role admits the ones ranked above it (admin > writer > reader).
ROLE_GROUPS: Final[dict[Role, tuple[str, ...]]] = {
    Role.READER: ("reader", "writer", "admin"),
    Role.WRITER: ("writer", "admin"),
    Role.ADMIN: ("admin",),
}
# Escapable, and escaped the same way, in PCRE (Kong's traditional router) and in Rust's regex
# (its ATC router): every other character is written as itself.
_SPECIAL: Final = frozenset("\\.+*?()|[]{}^$#&-~")


def glob_regex(glob: str) -> str:
    """An ``fnmatch`` glob (``*``, ``?``, ``[a-z]``, ``[!a]``) as an unanchored regex."""
    out: list[str] = []
    index = 0
    while index < len(glob):
        char = glob[index]
        index += 1
        end = _class_end(glob, index) if char == "[" else -1
        if char == "*":
            out.append(".*")
        elif char == "?":
            out.append(".")
        elif end >= 0:
            out.append(_char_class(glob[index:end]))
            index = end + 1
        else:
            out.append(_literal(char))
    return "".join(out)


def _literal(char: str) -> str:
    return "\\" + char if char in _SPECIAL else char


def _class_end(glob: str, start: int) -> int:
    """Where the class opened before ``start`` closes (fnmatch's reading), or -1: no class."""
    index = start
    if index < len(glob) and glob[index] == "!":
        index += 1
    if index < len(glob) and glob[index] == "]":
        index += 1
    while index < len(glob) and glob[index] != "]":
        index += 1
    return index if index < len(glob) else -1


def _char_class(body: str) -> str:
    negate = body.startswith("!")
    body = body.removeprefix("!")
    items: list[str] = []
    index = 0
    while index < len(body):
        if index + 2 < len(body) and body[index + 1] == "-":
            low, high = body[index], body[index + 2]
            if low > high:
                raise ValueError(f"the glob range {low}-{high} is empty")
            items.append(f"{_literal(low)}-{_literal(high)}")
            index += 3
        else:
            items.append(_literal(body[index]))
            index += 1
    if not items:
        raise ValueError("an empty glob character class never matches")
    return "[" + ("^" if negate else "") + "".join(items) + "]"


def described(rule: AccessRule) -> str:
    """``GET,HEAD /health/*: public``: a rule in one line."""
    if rule.deny:
        what = "denied (404)"
    elif rule.public:
        what = "public"
    else:
        parts = ["a credential"]
        parts += [f"role {rule.role.value}"] if rule.role is not None else []
        parts += [f"scopes {' '.join(rule.scopes)}"] if rule.scopes else []
        parts += ["step-up"] if rule.step_up else []
        what = ", ".join(parts)
    return f"{_where(rule)}: {what}"


def rule_warnings(service: str, rules: tuple[AccessRule, ...]) -> list[str]:
    """What of ``rules`` Kong OSS leaves unchecked (the service behind may still check it)."""
    found = []
    roles = [f"{_where(rule)} {rule.role.value}" for rule in rules if rule.role is not None]
    if roles:
        found.append(
            f"{service}: roles are checked (acl) for API-key consumers only; a bearer token "
            f"passes (one consumer per signing key), left to the service: {'; '.join(roles)}"
        )
    for rule in rules:
        if rule.scopes:
            found.append(f"{service}: {_where(rule)}: scopes {' '.join(rule.scopes)} unchecked")
        if rule.step_up:
            found.append(
                f"{service}: {_where(rule)}: step-up (a second factor within {STEP_UP_MAX_AGE} s: "
                "the token's amr and auth_time) unchecked"
            )
    return found


def _where(rule: AccessRule) -> str:
    return f"{','.join(rule.methods) or '*'} {rule.path}"


def auth_plugins(role: Role | None) -> list[dict[str, Any]]:
    """A bearer token or an API key (either: both anonymous, the anonymous consumer refused),
    and the role's ACL groups when a role is needed."""
    plugins: list[dict[str, Any]] = [
        {
            "name": "jwt",
            "config": {
                "key_claim_name": "kid",
                "claims_to_verify": ["exp"],  # our tokens carry no nbf: Kong would demand one
                "header_names": ["authorization"],
                "uri_param_names": [],
                "cookie_names": [],
                "anonymous": ANONYMOUS,
            },
        },
        {
            "name": "key-auth",
            "config": {
                "key_names": [API_KEY_HEADER],
                "key_in_header": True,
                "key_in_query": False,
                "key_in_body": False,
                "hide_credentials": False,  # the services check the credential again
                "anonymous": ANONYMOUS,
            },
        },
    ]
    if role is not None:
        plugins.append(
            {
                "name": "acl",
                "config": {"allow": list(ROLE_GROUPS[role]), "hide_groups_header": True},
            }
        )
    return plugins


def terminate(status: int, title: str, detail: str) -> dict[str, Any]:
    """A ``request-termination`` plugin answering problem+json, as the gateway does."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    return {
        "name": "request-termination",
        "config": {
            "status_code": status,
            "content_type": "application/problem+json",
            "body": json.dumps(body, separators=(",", ":")),
        },
    }


def anonymous_consumer() -> dict[str, Any]:
    """Whom jwt and key-auth fall back to; refused here, so one credential of either is needed."""
    detail = "Send an access token (Authorization: Bearer) or an API key (X-API-Key)."
    return {
        "username": ANONYMOUS,
        "plugins": [terminate(401, "Unauthorized", detail)],
    }


def jwt_consumer(kid: str, pem: str) -> dict[str, Any]:
    """The tokens the KMS signs with key ``kid``; in every role group, since Kong cannot read
    a token's roles (the services check them)."""
    return {
        "username": f"kms-key-{kid}",
        "jwt_secrets": [{"key": kid, "algorithm": "EdDSA", "rsa_public_key": pem}],
        "acls": [{"group": group} for group in ROLE_GROUPS[Role.READER]],
    }
