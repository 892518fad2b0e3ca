"""What batch endpoints share: a refused item is named by its index."""

from __future__ import annotations

from fountainai.core.errors import AppError


def refusal_of_item(refused: AppError, index: int, *, field: str = "items") -> AppError:
    """The same refusal (same status and extras), naming the item it is about:
    ``items[3]: <detail>`` and ``"item": 3``."""
    return type(refused)(
        f"{field}[{index}]: {refused.detail or refused.title}",
        headers=refused.headers,
        extra={**refused.extra, "item": index},
    )
