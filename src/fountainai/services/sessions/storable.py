"""Input the databases can store exactly: no NUL characters or lone surrogates (PostgreSQL and
UTF-8 refuse them), JSON without infinities, and nesting kept shallow."""

from __future__ import annotations

import json
import math
from typing import Annotated, Any

from pydantic import AfterValidator

from fountainai.core.elements import Comment
from fountainai.core.schemas import reject_unstorable_text

MAX_JSON_DEPTH = 32


def storable_text(value: str) -> str:
    """``value`` unchanged, if both backends store it as written (core's one rule for text)."""
    reject_unstorable_text(value)
    return value


def storable_json(value: Any) -> Any:
    """``value`` unchanged, if it is finite JSON at most ``MAX_JSON_DEPTH`` deep with storable
    strings (walked without recursion, so no input can exhaust the stack)."""
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if depth > MAX_JSON_DEPTH:
            raise ValueError(f"must be nested at most {MAX_JSON_DEPTH} levels deep")
        if isinstance(item, str):
            storable_text(item)
        elif isinstance(item, float) and not math.isfinite(item):
            raise ValueError("numbers must be finite")
        elif isinstance(item, list):
            pending.extend((element, depth + 1) for element in item)
        elif isinstance(item, dict):
            for key, element in item.items():
                storable_text(key)
                pending.append((element, depth + 1))
    return value


def json_size(value: Any) -> int:
    """Bytes of ``value`` as compact UTF-8 JSON (what the context size limit counts)."""
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())


StoredText = Annotated[str, AfterValidator(storable_text)]
StoredComment = Annotated[Comment, AfterValidator(storable_text)]
StoredJson = Annotated[Any, AfterValidator(storable_json)]
