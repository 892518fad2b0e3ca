"""Final Draft documents (FDX, Final Draft's XML format): ``read_fdx`` and ``write_fdx``.

An FDX body is a flat list of typed ``<Paragraph>`` elements, each holding styled ``<Text>``
runs; the model's element text is Fountain inline markup, converted to and from runs by
``fountainai.fountain.inline``. The mapping, both ways:

==========================  ===============================================================
model element               FDX paragraph
==========================  ===============================================================
SceneHeading                ``Scene Heading``; the scene number in ``Number``
Action                      ``Action`` (read: also ``General``, ``Shot``, unknown types)
Centered                    ``Action`` with ``Alignment="Center"`` (read: any centered
                            action-like paragraph, ``New Act``, ``End of Act``)
Character                   ``Character``: ``NAME (EXT) (EXT)``; dual: see below
Parenthetical               ``Parenthetical``, text in parentheses
Dialogue                    ``Dialogue`` (read: consecutive ones are one speech)
Lyric                       ``Lyrics`` (a type of our own, declared in ``ElementSettings``)
Transition                  ``Transition``
PageBreak                   ``StartsNewPage="Yes"`` on the next paragraph, or an empty
                            ``Action`` paragraph with it when no paragraph follows
Section (depth N)           ``Outline N`` (Final Draft's hidden outline elements; 5 and
                            deeper are declared in ``ElementSettings``)
Synopsis                    ``Outline Body``
Note                        ``General`` paragraph reading ``[[text]]`` (read: any
                            action-like, not centered paragraph that is exactly one
                            unstyled ``[[...]]``)
==========================  ===============================================================

Dual dialogue: the two speeches sit in one ``<Paragraph><DualDialogue>`` wrapper; the model
flags the second cue ``dual``. A ``dual`` cue with no speech before it is wrapped alone, and
read back as ``dual``. Title page: see ``titlepage``. ``forced`` flags are Fountain syntax
with no FDX counterpart: they are not written, and read as ``False``; so an action that is
nothing but one ``[[...]]`` (Fountain holds it only forced, ``![[...]]``) reads back as a note.
"""

from fountainai.fountain.fdx.reader import read_fdx
from fountainai.fountain.fdx.writer import write_fdx

__all__ = ["read_fdx", "write_fdx"]
