"""Discarding an unfinished import: every character, action, line and paraphrase of a script
that is still ``importing`` at the Scripts service, at once."""
