"""Send a one-time code, check a code, exchange a code for a stepped-up KMS token."""

from __future__ import annotations

from fountainai.services.twofa.auth.schemas import CodeAccepted, CodeSent
from fountainai.services.twofa.codes.factors import AccountRef, Factors
from fountainai.services.twofa.delivery import CodeMessage, Delivery
from fountainai.services.twofa.kms_client import KmsClient, SteppedUpToken


class AuthService:
    def __init__(self, factors: Factors, *, kms: KmsClient, delivery: Delivery) -> None:
        self._factors = factors
        self._kms = kms
        self._delivery = delivery

    async def send_code(self, account: AccountRef) -> CodeSent:
        """Issue and deliver; a delivery failure undoes the issue (the request rolls back)."""
        await self._factors.ensure_account(account)
        issued = await self._factors.one_time.issue(account.subject)
        message = CodeMessage(
            user_id=account.subject,
            username=account.username,
            code=issued.code,
            expires_at=issued.expires_at,
        )
        await self._delivery.deliver(message)
        return CodeSent(channel=self._delivery.channel, expires_at=issued.expires_at)

    async def verify(self, account: AccountRef, code: str) -> CodeAccepted:
        return CodeAccepted(method=await self._factors.check(account, code))

    async def step_up(self, account: AccountRef, code: str, *, access_token: str) -> SteppedUpToken:
        method = await self._factors.check(account, code)
        return await self._kms.step_up(access_token, method=method)
