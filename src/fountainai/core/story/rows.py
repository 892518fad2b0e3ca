"""The columns every element placed in a script has, and how rows become API JSON, version
snapshots and search documents."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import String, inspect
from sqlalchemy.orm import Mapped, mapped_column

from fountainai.core.db import BigId, UtcDateTime, utcnow
from fountainai.core.elements import ElementType
from fountainai.core.story.schemas import ElementRead

ReadT = TypeVar("ReadT", bound=ElementRead)


class ScriptElementColumns:
    """Mixin: an element of one script (``script_id``), such as a character.

    A service whose scripts live in its own database overrides ``script_id`` with a foreign key;
    one that only references them (checked over HTTP) keeps this plain indexed column.
    """

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    script_id: Mapped[int] = mapped_column(BigId, index=True)
    created_by: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class PlacedColumns(ScriptElementColumns):
    """Mixin: an element placed in a script and maybe one of its sections (``section_id``)."""

    section_id: Mapped[int | None] = mapped_column(BigId, nullable=True, index=True)


_COLUMN_KEYS: dict[type[object], tuple[str, ...]] = {}


def _column_keys(model: type[object]) -> tuple[str, ...]:
    """The mapped class's column attribute names (looked up once per class: per row it costs)."""
    keys = _COLUMN_KEYS.get(model)
    if keys is None:
        keys = _COLUMN_KEYS[model] = tuple(c.key for c in inspect(model).column_attrs)
    return keys


def row_columns(row: object) -> dict[str, Any]:
    """A mapped row's column values by attribute name."""
    return {key: getattr(row, key) for key in _column_keys(type(row))}


def placed_read(read_type: type[ReadT], row: object, number: int | None) -> ReadT:
    """``row`` as the API shows it, with its sequence number (None: Central Sequence has none)."""
    return read_type.model_validate({**row_columns(row), "sequence_number": number})


def as_json(state: BaseModel) -> dict[str, Any]:
    """The camelCase JSON a version keeps (and restore reads back)."""
    return state.model_dump(mode="json", by_alias=True)


def search_document(element_type: ElementType, read: BaseModel) -> dict[str, Any]:
    """The search document: the element's JSON without its number (reorders change that);
    ``elementType`` is always the element's own kind, whatever fields it has."""
    document = read.model_dump(mode="json", by_alias=True, exclude={"sequence_number"})
    return {**document, "elementType": element_type.value}
