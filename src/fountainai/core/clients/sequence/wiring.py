"""Putting one ``SequenceClient`` on ``app.state.sequence`` for the app's lifetime."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from fountainai.core.clients.base import client_dependency, client_hook
from fountainai.core.clients.sequence.client import SequenceClient

sequence_client = client_hook(SequenceClient, state="sequence", url_setting="sequence_url")
get_sequence_client = client_dependency(
    SequenceClient, state="sequence", hook_name="sequence_client"
)
SequenceDep = Annotated[SequenceClient, Depends(get_sequence_client)]
