"""Revocations reach Redis right after their transaction commits: never before, never if it
rolls back, and on every path that commits (the request's session, ``commit_and_raise``).

The code that writes a revocation calls :func:`publish_after_commit` with the same session. The
KMS lifespan puts its publisher into every session's ``info`` (:func:`attach`); with none there
(Redis off) the call does nothing.
"""

from __future__ import annotations

from typing import Final

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session, SessionTransaction

from fountainai.services.kms.revocation.publisher import Revocation, RevocationPublisher

PUBLISHER: Final = "fountainai.kms.revocation_publisher"
_PENDING: Final = "fountainai.kms.pending_revocations"


def attach(sessionmaker: async_sessionmaker[AsyncSession], publisher: RevocationPublisher) -> None:
    """Sessions made from now on publish what they revoke through ``publisher``."""
    sessionmaker.configure(info={PUBLISHER: publisher})


def detach(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    sessionmaker.configure(info={})


def publish_after_commit(session: AsyncSession, revocation: Revocation) -> None:
    """Hand ``revocation`` to the publisher once ``session``'s transaction commits."""
    if PUBLISHER not in session.info:
        return
    if not session.in_transaction():
        session.sync_session.begin()  # no I/O: a rollback must have something to drop
    pending: list[Revocation] | None = session.info.get(_PENDING)
    if pending is None:
        pending = session.info[_PENDING] = []
        event.listen(session.sync_session, "after_commit", _hand_over)
        event.listen(session.sync_session, "after_soft_rollback", _forget)
    pending.append(revocation)


def _hand_over(session: Session) -> None:
    pending: list[Revocation] = session.info[_PENDING]
    if pending:
        publisher: RevocationPublisher = session.info[PUBLISHER]
        publisher.submit(pending)
        pending.clear()


def _forget(session: Session, previous_transaction: SessionTransaction) -> None:
    if previous_transaction.parent is None:  # the whole transaction, not a savepoint
        session.info[_PENDING].clear()
