"""Every service that exists, for ``fountain serve|up|db|openapi``. Grows as services land."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

from fastapi import FastAPI

from fountainai.core import ServiceDefinition, ServiceSettings
from fountainai.services.characters import app as characters_app
from fountainai.services.characters.config import CharactersSettings
from fountainai.services.kms import app as kms_app
from fountainai.services.kms.config import KmsSettings
from fountainai.services.scripts import app as scripts_app
from fountainai.services.scripts.config import ScriptsSettings
from fountainai.services.sequence import app as sequence_app
from fountainai.services.sequence.config import SequenceSettings
from fountainai.services.sessions import app as sessions_app
from fountainai.services.sessions.config import SessionsSettings
from fountainai.services.story import app as story_app
from fountainai.services.story.config import StorySettings
from fountainai.services.twofa import app as twofa_app
from fountainai.services.twofa.config import TwofaSettings


@dataclass(frozen=True)
class ServiceEntry:
    name: str
    definition: ServiceDefinition
    settings_class: type[ServiceSettings]
    app_factory: Callable[[], FastAPI]
    factory_path: str  # for uvicorn --factory: "module:function"

    def settings(self) -> ServiceSettings:
        return self.settings_class()

    def create_app(self) -> FastAPI:
        return self.app_factory()


def _entry(app_module: ModuleType, settings_class: type[ServiceSettings]) -> ServiceEntry:
    """A service from its ``app`` module (``DEFINITION`` and ``create_app``) and settings class."""
    definition: ServiceDefinition = app_module.DEFINITION
    return ServiceEntry(
        name=definition.name,
        definition=definition,
        settings_class=settings_class,
        app_factory=app_module.create_app,
        factory_path=f"{app_module.__name__}:create_app",
    )


SERVICES: dict[str, ServiceEntry] = {
    entry.name: entry
    for entry in (
        _entry(sequence_app, SequenceSettings),
        _entry(kms_app, KmsSettings),
        _entry(twofa_app, TwofaSettings),
        _entry(characters_app, CharactersSettings),
        _entry(scripts_app, ScriptsSettings),
        _entry(sessions_app, SessionsSettings),
        _entry(story_app, StorySettings),
    )
}
