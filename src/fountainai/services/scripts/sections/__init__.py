"""Sections: the act / sequence / scene tree of a script; scenes carry their heading."""
