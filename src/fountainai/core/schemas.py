"""Base API models (camelCase on the wire) and the one reusable pagination schema."""

from __future__ import annotations

import re
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field
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


class ApiInput(ApiModel):
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


def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Page size.")] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")] = 0,
) -> PageParams:
    return PageParams(limit=limit, offset=offset)


PageParamsDep = Annotated[PageParams, Depends(page_params)]
