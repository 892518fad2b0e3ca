"""Base API models (camelCase on the wire) and the one reusable pagination schema."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

T = TypeVar("T")

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
