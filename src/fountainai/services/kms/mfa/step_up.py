"""Step-up and the MFA flag: what the 2FA service asks of the KMS once a code passed.

A step-up turns the user's current access token (verified here, revocation honoured) into a
fresh one with ``otp`` added to ``amr`` and ``auth_time`` now, carrying the roles the account has
now. No refresh token: a refreshed token keeps its login's ``auth_time``, so the elevation ends
when the guarded actions' ``max_age`` does.
"""

from __future__ import annotations

import time
from typing import Final, NoReturn

from sqlalchemy.ext.asyncio import AsyncSession

from fountainai.core import BadRequest, NotFound
from fountainai.core.auth import InvalidToken, Principal, TokenVerifier
from fountainai.services.kms.accounts.repository import UserRepository
from fountainai.services.kms.accounts.tokens import commit_and_raise
from fountainai.services.kms.audit.events import Outcome, SecurityEvent
from fountainai.services.kms.audit.repository import AuditRepository
from fountainai.services.kms.mfa.schemas import StepUpRequest, StepUpResponse
from fountainai.services.kms.mfa.tickets import MfaTicketRepository
from fountainai.services.kms.signing.tokens import AccessTokenIssuer

OTP: Final = "otp"
NO_SUCH_USER: Final = "No user has this id."


class InvalidSubjectToken(BadRequest):
    """RFC 8693 section 2.2.2: a subject token that is not valid is a 400 of the exchange."""

    slug = "invalid-subject-token"
    title = "The subject token is not valid"


SUBJECT_REJECTED: Final = (
    "The subject token is invalid, expired or revoked, or its account is disabled; log in again."
)


class MfaAssertions:
    def __init__(self, session: AsyncSession, *, caller: Principal, ip: str) -> None:
        self._session = session
        self._caller = caller
        self._ip = ip
        self._users = UserRepository(session)
        self._audit = AuditRepository(session)

    async def set_enabled(self, user_id: str, *, enabled: bool) -> None:
        user = await self._users.get(user_id, for_update=True)
        if user is None:
            raise NotFound(NO_SUCH_USER)
        changed = user.mfa_enabled != enabled
        user.mfa_enabled = enabled
        # Tickets of the old setting die with it (a disabled factor cannot finish a login).
        await MfaTicketRepository(self._session).delete_for_user(user.id)
        await self._audit.record(
            SecurityEvent.MFA_ENABLE if enabled else SecurityEvent.MFA_DISABLE,
            actor=self._caller.actor,
            target=user.id,
            ip=self._ip,
            details={"username": user.username, "changed": changed},
        )

    async def step_up(
        self, body: StepUpRequest, *, verifier: TokenVerifier, issuer: AccessTokenIssuer
    ) -> StepUpResponse:
        try:
            subject = await verifier.verify(body.subject_token)
        except InvalidToken as exc:
            await self._reject("invalidToken", target=None, why=str(exc))
        if subject.kind != "user":
            await self._reject("notAUser", target=subject.subject)
        user = await self._users.get(subject.subject, for_update=True)
        if user is None or user.disabled_at is not None:
            await self._reject("disabled", target=subject.subject)
        now = int(time.time())
        amr = [*subject.amr, OTP] if OTP not in subject.amr else list(subject.amr)
        access = await issuer.issue(
            self._session,
            subject=user.id,
            username=user.username,
            roles=user.roles,
            amr=amr,
            auth_time=now,
            not_before=user.tokens_not_before,
        )
        await self._audit.record(
            SecurityEvent.STEP_UP,
            actor=self._caller.actor,
            target=user.id,
            ip=self._ip,
            details={"method": body.method, "subjectTokenId": subject.token_id, "amr": amr},
        )
        return StepUpResponse(
            access_token=access.token, expires_in=access.expires_in, amr=amr, auth_time=now
        )

    async def _reject(self, reason: str, *, target: str | None, why: str | None = None) -> NoReturn:
        details = {"reason": reason} if why is None else {"reason": reason, "why": why[:200]}
        await self._audit.record(
            SecurityEvent.STEP_UP,
            Outcome.FAILURE,
            actor=self._caller.actor,
            target=target,
            ip=self._ip,
            details=details,
        )
        await commit_and_raise(self._session, InvalidSubjectToken(SUBJECT_REJECTED))
