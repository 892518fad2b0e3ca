"""Every service that exists, for ``fountain serve|up|db|openapi``. Grows as services land."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fastapi import FastAPI

from fountainai.core import ServiceDefinition, ServiceSettings
from fountainai.services.kms import app as kms_app
from fountainai.services.kms.config import KmsSettings
from fountainai.services.scripts import app as scripts_app
from fountainai.services.scripts.config import ScriptsSettings
from fountainai.services.sequence import app as sequence_app
from fountainai.services.sequence.config import SequenceSettings
from fountainai.services.sessions import app as sessions_app
from fountainai.services.sessions.config import SessionsSettings
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


SERVICES: dict[str, ServiceEntry] = {
    "sequence": ServiceEntry(
        name="sequence",
        definition=sequence_app.DEFINITION,
        settings_class=SequenceSettings,
        app_factory=sequence_app.create_app,
        factory_path="fountainai.services.sequence.app:create_app",
    ),
    "kms": ServiceEntry(
        name="kms",
        definition=kms_app.DEFINITION,
        settings_class=KmsSettings,
        app_factory=kms_app.create_app,
        factory_path="fountainai.services.kms.app:create_app",
    ),
    "twofa": ServiceEntry(
        name="twofa",
        definition=twofa_app.DEFINITION,
        settings_class=TwofaSettings,
        app_factory=twofa_app.create_app,
        factory_path="fountainai.services.twofa.app:create_app",
    ),
    "sessions": ServiceEntry(
        name="sessions",
        definition=sessions_app.DEFINITION,
        settings_class=SessionsSettings,
        app_factory=sessions_app.create_app,
        factory_path="fountainai.services.sessions.app:create_app",
    ),
    "scripts": ServiceEntry(
        name="scripts",
        definition=scripts_app.DEFINITION,
        settings_class=ScriptsSettings,
        app_factory=scripts_app.create_app,
        factory_path="fountainai.services.scripts.app:create_app",
    ),
}
