"""What every story service does the same way when it writes an element of a script.

- ``writer``: ``ElementWriter`` — number a new element at Central Sequence before its row commits,
  keep a version before every change, take it out of the order on delete, and queue each change
  in the service's outbox (``element_writer(outbox)`` is the FastAPI dependency).
- ``placed``: ``PlacedService`` / ``PlacedRepository`` — the create/read/list/update/restore/delete
  path of a kind placed in a script and maybe a section; a kind supplies its table, wire shapes,
  element type(s) and checks.
- ``rows``: ``PlacedColumns`` (the mixin of such tables) and the row → API JSON / version /
  search document conversions.
- ``bulk``: ``reserve_ids`` / ``insert_all`` — a batch endpoint's rows inserted with a fixed
  number of statements.
- ``schemas``: the wire types they share (``Position``, ``VersionNumber``, ``PatchInput``,
  ``PlacedState``, ``ElementRead``).
"""

from fountainai.core.story.batches import refusal_of_item
from fountainai.core.story.placed import PlacedRepository, PlacedService
from fountainai.core.story.rows import (
    PlacedColumns,
    ScriptElementColumns,
    as_json,
    placed_read,
    row_columns,
    search_document,
)
from fountainai.core.story.schemas import (
    ElementRead,
    PatchInput,
    PlacedState,
    Position,
    PositionParam,
    VersionNumber,
)
from fountainai.core.story.writer import Change, ElementWriter, element_writer

__all__ = [
    "Change",
    "ElementRead",
    "ElementWriter",
    "PatchInput",
    "PlacedColumns",
    "PlacedRepository",
    "PlacedService",
    "PlacedState",
    "Position",
    "PositionParam",
    "ScriptElementColumns",
    "VersionNumber",
    "as_json",
    "element_writer",
    "placed_read",
    "refusal_of_item",
    "row_columns",
    "search_document",
]
