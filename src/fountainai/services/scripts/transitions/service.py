"""The rules of transitions: in one script (and maybe one of its sections), numbered, versioned."""

from __future__ import annotations

from fountainai.core.elements import ElementType
from fountainai.services.scripts.elements.placed import PlacedService
from fountainai.services.scripts.models import Transition
from fountainai.services.scripts.transitions.schemas import TransitionRead, TransitionState


class TransitionService(PlacedService[Transition, TransitionState, TransitionRead]):
    noun = "transition"
    model = Transition
    state_type = TransitionState
    read_type = TransitionRead

    def element_type(self, row: Transition) -> ElementType:
        return ElementType.TRANSITION
