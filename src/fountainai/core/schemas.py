"""Base API models (camelCase on the wire) and the one reusable pagination schema."""

from __future__ import annotations

import math
import re
from typing import Annotated, Any, ClassVar, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)
from pydantic.alias_generators import to_camel

T = TypeVar("T")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _iso_8601_only(value: Any) -> Any:
    """Pydantic would read ``0.5`` or ``"1700000000"`` as Unix time; the schema says date-time."""
    if isinstance(value, str) and not _ISO_DATE.match(value):
        raise ValueError(
            "must be an ISO 8601 date-time with a time zone, e.g. 2026-01-31T12:00:00Z"
        )
    return value


# An RFC 3339 timestamp with its offset, nothing else (for query parameters and bodies).
IsoDateTime = Annotated[AwareDatetime, BeforeValidator(_iso_8601_only)]

MAX_PAGE_SIZE = 500
MAX_OFFSET = 10_000_000


class ApiModel(BaseModel):
    """Response models: snake_case in Python, camelCase in JSON."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


# NUL (which PostgreSQL text and JSONB cannot hold) and lone surrogates (which are not UTF-8).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
UNSTORABLE_TEXT = "text must not contain NUL characters or unpaired surrogates"
NON_FINITE = "numbers must be finite (no NaN or Infinity)"


def reject_unstorable_text(value: Any) -> Any:
    """Raise ``ValueError`` if any string in ``value`` (keys too, at any depth) is unstorable,
    or any number is NaN or infinite.

    JSON can smuggle them in as ``\\u0000`` / ``\\ud800`` escapes and ``NaN``/``Infinity``/``1e999``
    literals; left alone they reach the database (a 500 on PostgreSQL, silently null on SQLite).
    """
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if _UNSTORABLE.search(item):
                raise ValueError(UNSTORABLE_TEXT)
        elif isinstance(item, float):
            if not math.isfinite(item):
                raise ValueError(NON_FINITE)
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return value


class StorableInput(BaseModel):
    """A request body whose every string can be stored on every backend (else 422).

    ``self_checking_fields``: wire names of fields whose values are lists of ``StorableInput``
    models (a batch's items), which check themselves: walked once, not twice.
    """

    self_checking_fields: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="before")
    @classmethod
    def _storable_text(cls, data: Any) -> Any:
        if cls.self_checking_fields and isinstance(data, dict):
            skipped = cls.self_checking_fields
            reject_unstorable_text({k: v for k, v in data.items() if k not in skipped})
            return data
        return reject_unstorable_text(data)


class ApiInput(StorableInput, ApiModel):
    """Request bodies: unknown fields are an error, not silently dropped (catches typos)."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", str_max_length=100_000
    )


class Page(ApiModel, Generic[T]):
    items: list[T]
    total_count: int = Field(description="How many items match, across all pages.")
    limit: int
    offset: int


class PageParams(BaseModel):
    limit: int
    offset: int

    def page(self, items: list[T], total_count: int) -> Page[T]:
        """This page of a listing, with the total across all pages."""
        return Page[T](items=items, total_count=total_count, limit=self.limit, offset=self.offset)

    def of_all(self, items: list[T]) -> Page[T]:
        """This page of a complete listing."""
        return self.page(items[self.offset : self.offset + self.limit], len(items))


def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Page size.")] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")] = 0,
) -> PageParams:
    return PageParams(limit=limit, offset=offset)


PageParamsDep = Annotated[PageParams, Depends(page_params)]
