"""One session per request, committed once at the edge after the endpoint returns; or, for an
endpoint that waits on another service in between, several short transactions of its own."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, nullcontext
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker


class Transactions:
    """Opens transactions: each commits when its block ends without an error, else rolls back.

    On SQLite each holds the app's write lock (FIFO queueing beats every waiter polling the file
    lock), so an endpoint that calls another service between two of them holds nothing meanwhile.
    """

    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], lock: asyncio.Lock | None
    ) -> None:
        self._sessionmaker = sessionmaker
        self._lock = lock

    @classmethod
    def of(cls, request: Request) -> Transactions:
        return cls(request.app.state.sessionmaker, request.app.state.database_lock)

    @asynccontextmanager
    async def __call__(self) -> AsyncIterator[AsyncSession]:
        async with self._lock or nullcontext(), self._sessionmaker() as session:
            try:
                yield session
            except BaseException:
                await session.rollback()
                raise
            await session.commit()


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    async with Transactions.of(request)() as session:
        yield session


async def get_transactions(request: Request) -> Transactions:
    return Transactions.of(request)


# scope="function": commit before the response is sent, so a failed commit becomes an error answer.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
TransactionsDep = Annotated[Transactions, Depends(get_transactions)]
