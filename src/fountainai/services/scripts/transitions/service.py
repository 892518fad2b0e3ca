"""The rules of transitions: in one script (and maybe one of its sections), numbered, versioned."""

from __future__ import annotations

from fountainai.core.elements import ElementType
from fountainai.services.scripts.elements.placed import LocalPlacedService
from fountainai.services.scripts.models import Transition
from fountainai.services.scripts.transitions.schemas import TransitionRead, TransitionState


class TransitionService(LocalPlacedService[Transition, TransitionState, TransitionRead]):
    noun = "transition"
    model = Transition
    state_type = TransitionState
    read_type = TransitionRead
    element_types = (ElementType.TRANSITION,)
