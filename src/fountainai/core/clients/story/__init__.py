"""Typed client of the Story Factory: screenplay files imported as scripts (with their
progress), scripts read back assembled in reading order, and exported as files."""

from fountainai.core.clients.story.client import StoryClient
from fountainai.core.clients.story.models import (
    FullStory,
    ImportNotice,
    ImportReport,
    StoryCharacter,
    StoryFormat,
    StoryNode,
    StoryScript,
)

__all__ = [
    "FullStory",
    "ImportNotice",
    "ImportReport",
    "StoryCharacter",
    "StoryClient",
    "StoryFormat",
    "StoryNode",
    "StoryScript",
]
