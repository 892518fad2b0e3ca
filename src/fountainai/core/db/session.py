"""One session per request, committed once at the edge after the endpoint returns."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import nullcontext
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    factory: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    # SQLite admits one writer; queueing here (FIFO) beats every waiter polling the file lock.
    lock: asyncio.Lock | None = request.app.state.database_lock
    async with lock or nullcontext(), factory() as session:
        try:
            yield session
        except BaseException:
            await session.rollback()
            raise
        await session.commit()


# scope="function": commit before the response is sent, so a failed commit becomes an error answer.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
