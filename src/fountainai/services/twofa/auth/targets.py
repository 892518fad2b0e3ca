"""Whose account an /auth call is about, and whether the caller may act on it.

Users act on their own account; an admin may also send a code to another user (found in 2FA's
own table, else asked of the KMS with the admin's token). A service (the KMS logging a user
in) needs the ``mfa:verify`` scope and names the user by ``userId`` and ``username``.
"""

from __future__ import annotations

from typing import Final

from fountainai.core import NotFound, PermissionDenied, UnprocessableEntity
from fountainai.core.auth import MFA_VERIFY_SCOPE, Principal, Role
from fountainai.services.twofa.codes.factors import AccountRef
from fountainai.services.twofa.codes.repository import CodeRepository
from fountainai.services.twofa.dependencies import normalize_username, own_account
from fountainai.services.twofa.kms_client import KmsClient

SERVICE_NEEDS_SCOPE: Final = f"A service needs the {MFA_VERIFY_SCOPE} scope for this operation."
SERVICE_NAMES_USER: Final = "A service must give both userId and username."
ONLY_OWN_CODES: Final = "Codes can only be checked for your own account."
ADMIN_FOR_OTHERS: Final = "Sending a code to another account needs the admin role."
NO_SUCH_USER: Final = "There is no such user."


def _service_target(principal: Principal, username: str | None, user_id: str | None) -> AccountRef:
    if not principal.has_scope(MFA_VERIFY_SCOPE):
        raise PermissionDenied(SERVICE_NEEDS_SCOPE)
    if username is None or user_id is None:
        raise UnprocessableEntity(SERVICE_NAMES_USER)
    return AccountRef(subject=user_id, username=normalize_username(username))


def _is_own(principal: Principal, username: str | None, user_id: str | None) -> bool:
    own = own_account(principal)
    return (username is None or normalize_username(username) == own.username) and (
        user_id is None or user_id == own.subject
    )


def verify_target(principal: Principal, *, username: str | None, user_id: str | None) -> AccountRef:
    if principal.kind == "service":
        return _service_target(principal, username, user_id)
    if not _is_own(principal, username, user_id):
        raise PermissionDenied(ONLY_OWN_CODES)
    return own_account(principal)


async def generate_target(
    principal: Principal,
    *,
    username: str,
    user_id: str | None,
    repository: CodeRepository,
    kms: KmsClient,
    bearer_token: str | None,
) -> AccountRef:
    if principal.kind == "service":
        return _service_target(principal, username, user_id)
    if _is_own(principal, username, user_id):
        return own_account(principal)
    if not principal.has_role(Role.ADMIN):
        raise PermissionDenied(ADMIN_FOR_OTHERS)
    name = normalize_username(username)
    known = await repository.accounts_named(name)
    if len(known) == 1:
        target = AccountRef(subject=known[0].subject, username=name)
    else:
        found = await kms.find_user(name, bearer_token=bearer_token) if bearer_token else None
        if found is None:
            raise NotFound(NO_SUCH_USER)
        target = AccountRef(subject=found.id, username=name)
    if user_id is not None and user_id != target.subject:
        raise NotFound(NO_SUCH_USER)
    return target
