"""``/users``: the caller's own account, and user administration (admin)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from fountainai.core import (
    Conflict,
    NotFound,
    Page,
    PageParamsDep,
    PermissionDenied,
    RateLimited,
    problem_responses,
)
from fountainai.core.auth import AUTH_RESPONSES, AdminDep, CurrentPrincipal, Role
from fountainai.core.db import SessionDep
from fountainai.services.kms.accounts.admin import UserAdmin
from fountainai.services.kms.accounts.dependencies import PasswordsDep, PrivilegedAdminDep
from fountainai.services.kms.accounts.repository import UserRepository
from fountainai.services.kms.accounts.schemas import PasswordChange, UserRead, UserUpdate
from fountainai.services.kms.accounts.sessions import NO_ACCOUNT, USER_SESSIONS_ONLY, SessionService
from fountainai.services.kms.accounts.usernames import normalize_username
from fountainai.services.kms.dependencies import ClientIpDep, SettingsDep
from fountainai.services.kms.models import User

router = APIRouter(responses=AUTH_RESPONSES)

UserIdPath = Annotated[uuid.UUID, Path(alias="userId", description="The account's id.")]


def user_read(user: User) -> UserRead:
    return UserRead(
        id=user.id,
        username=user.username,
        roles=[Role(role) for role in user.roles],
        disabled=user.disabled_at is not None,
        created_at=user.created_at,
    )


@router.get(
    "/users/me",
    operation_id="getCurrentUser",
    summary="The caller's own account.",
    responses=problem_responses(NotFound),
)
async def get_current_user(principal: CurrentPrincipal, session: SessionDep) -> UserRead:
    if principal.kind != "user":
        raise PermissionDenied(USER_SESSIONS_ONLY)
    user = await UserRepository(session).get(principal.subject)
    if user is None:
        raise NotFound(NO_ACCOUNT)
    return user_read(user)


@router.post(
    "/users/me/password",
    operation_id="changePassword",
    summary="Change the caller's password; every session of the account ends.",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(RateLimited),
)
async def change_password(
    body: PasswordChange,
    principal: CurrentPrincipal,
    session: SessionDep,
    settings: SettingsDep,
    passwords: PasswordsDep,
    ip: ClientIpDep,
) -> None:
    service = SessionService(session, settings, passwords)
    await service.change_password(principal, body.current_password, body.new_password, ip=ip)


@router.get("/users", operation_id="listUsers", summary="Accounts, by username (admin).")
async def list_users(
    _admin: AdminDep,
    session: SessionDep,
    page: PageParamsDep,
    role: Role | None = None,
    disabled: bool | None = None,
    username_prefix: Annotated[str | None, Query(alias="usernamePrefix", max_length=64)] = None,
    username: Annotated[
        str | None, Query(max_length=64, description="Exactly this username (normalized).")
    ] = None,
) -> Page[UserRead]:
    prefix = normalize_username(username_prefix) if username_prefix else None
    users, total = await UserRepository(session).page(
        role=role,
        disabled=disabled,
        username=normalize_username(username) if username else None,
        username_prefix=prefix,
        limit=page.limit,
        offset=page.offset,
    )
    return page.page([user_read(user) for user in users], total)


@router.get(
    "/users/{userId}",
    operation_id="getUser",
    summary="One account (admin).",
    responses=problem_responses(NotFound),
)
async def get_user(user_id: UserIdPath, _admin: AdminDep, session: SessionDep) -> UserRead:
    return user_read(await UserAdmin(session).get(str(user_id)))


@router.patch(
    "/users/{userId}",
    operation_id="updateUser",
    summary="Change an account's roles or disable it; its current tokens stop working (admin).",
    responses=problem_responses(NotFound, Conflict),
)
async def update_user(
    user_id: UserIdPath,
    body: UserUpdate,
    admin: PrivilegedAdminDep,
    session: SessionDep,
    ip: ClientIpDep,
) -> UserRead:
    user = await UserAdmin(session).update(str(user_id), body, admin, ip=ip)
    return user_read(user)
