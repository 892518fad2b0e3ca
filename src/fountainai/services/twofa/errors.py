"""The problems only 2FA answers: a rejected code, and too many attempts or codes."""

from __future__ import annotations

import math
from datetime import datetime
from typing import NoReturn

from sqlalchemy.ext.asyncio import AsyncSession

from fountainai.core import AppError, PermissionDenied, RateLimited


class CodeRejected(PermissionDenied):
    slug = "code-rejected"
    title = "Code rejected"


class TooManyAttempts(RateLimited):
    slug = "too-many-attempts"
    title = "Too many attempts"


class TooManyCodesSent(RateLimited):
    slug = "too-many-codes-sent"
    title = "Too many codes sent"


CODE_REJECTED_DETAIL = "The code is wrong, expired or already used."


def retry_after(until: datetime, now: datetime) -> dict[str, str]:
    """A ``Retry-After`` header: whole seconds until ``until``, at least 1."""
    return {"Retry-After": str(max(1, math.ceil((until - now).total_seconds())))}


async def commit_and_raise(session: AsyncSession, error: AppError) -> NoReturn:
    """Keep what a failure counted: the request session rolls back on raise."""
    await session.commit()
    raise error
