"""Transitions (CUT TO:), placed in a script and optionally a section."""
