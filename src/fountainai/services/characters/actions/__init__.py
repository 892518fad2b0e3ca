"""Actions: what happens on screen, placed in a script (and section), maybe naming a character."""
